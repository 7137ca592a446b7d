import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { serviceMeshApiRef } from '../api';

/** The whole mesh from `GET /overview`; `retry` reloads it. */
export function useMeshOverview() {
  const api = useApi(serviceMeshApiRef);
  return useAsyncRetry(() => api.getOverview(), [api]);
}
