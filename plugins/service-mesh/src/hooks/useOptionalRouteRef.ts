import { useRouteRef } from '@backstage/core-plugin-api';

/** A route function, or undefined where the app does not mount the route (useRouteRef throws there). */
export function useOptionalRouteRef<
  T extends Parameters<typeof useRouteRef>[0],
>(ref: T): ((params?: object) => string) | undefined {
  try {
    return useRouteRef(ref) as unknown as (params?: object) => string;
  } catch {
    return undefined;
  }
}
