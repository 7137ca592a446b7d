import { Entity } from '@backstage/catalog-model';
import { getEntitySelector } from '@internal/plugin-service-mesh-common';

/**
 * True when the entity carries the Kubernetes plugin's annotations, so the mesh tab can show it.
 *
 * @public
 */
export const isServiceMeshAvailable = (entity: Entity): boolean =>
  getEntitySelector(entity) !== undefined;
