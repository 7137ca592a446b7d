import type { EntityResponse } from '@internal/plugin-service-mesh-common';
import { isBackendError } from '../../utils/backendErrors';

/** A 404 from the backend: the entity matched nothing in the mesh. */
export function isNotFoundError(error: unknown): boolean {
  return isBackendError(error, 'NotFoundError', 404);
}

/** True when no cluster runs a Service or workload of the entity. */
export function isEmptyEntityResponse(response: EntityResponse): boolean {
  return response.clusters.every(
    view => view.services.length === 0 && view.workloads.length === 0,
  );
}
