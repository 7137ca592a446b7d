import type { EntityResponse } from '@internal/plugin-service-mesh-common';

/** A 404 from the backend: the entity matched nothing in the mesh. */
export function isNotFoundError(error: unknown): boolean {
  const e = error as
    | {
        name?: string;
        statusCode?: number;
        body?: { error?: { name?: string } };
      }
    | undefined;
  return (
    e?.name === 'NotFoundError' ||
    e?.statusCode === 404 ||
    e?.body?.error?.name === 'NotFoundError'
  );
}

/** True when no cluster runs a Service or workload of the entity. */
export function isEmptyEntityResponse(response: EntityResponse): boolean {
  return response.clusters.every(
    view => view.services.length === 0 && view.workloads.length === 0,
  );
}
