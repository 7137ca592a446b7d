import { useEffect, useRef } from 'react';

/**
 * core-components' Table (material-table) renders a bare <table>: this names it, as the MUI tables were named,
 * for screen readers and the browser tests. Put the returned ref on an element around the Table.
 */
export function useTableAriaLabel(label: string) {
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = wrapper.current;
    if (!element) return undefined;
    const apply = () =>
      element.querySelector('table')?.setAttribute('aria-label', label);
    apply();
    // material-table re-renders on its own (paging, sorting): label every table it puts in.
    const observer = new MutationObserver(apply);
    observer.observe(element, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [label]);
  return wrapper;
}
