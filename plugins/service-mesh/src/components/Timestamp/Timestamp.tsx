import { formatTime } from '../../utils/format';

/** A machine-readable `<time>` with a stable UTC rendering. */
export function Timestamp(props: { value?: string }) {
  if (!props.value) return <span>never</span>;
  return <time dateTime={props.value}>{formatTime(props.value)}</time>;
}
