import { Entity } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';

/** Path of the entity's Service Mesh tab; undefined when the app has no catalog entity route. */
export function useServiceMeshTabLink(entity: Entity): string | undefined {
  try {
    const entityRoute = useRouteRef(entityRouteRef);
    return `${entityRoute(entityRouteParams(entity))}/service-mesh`;
  } catch {
    return undefined;
  }
}
