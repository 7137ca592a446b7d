import { Entity } from '@backstage/catalog-model';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useOptionalRouteRef } from '../../hooks/useOptionalRouteRef';
import { entityContentRouteRef } from '../../routes';

/**
 * Path of the entity's Service Mesh tab, from the tab's route ref wherever the app mounts it (new frontend
 * system); in a legacy app, which binds no route ref for entity tabs, the entity page's path + `/service-mesh`
 * (the path the README's EntityPage snippet uses). Undefined when the app has no catalog entity route.
 */
export function useServiceMeshTabLink(entity: Entity): string | undefined {
  const tab = useOptionalRouteRef(entityContentRouteRef);
  const entityRoute = useOptionalRouteRef(entityRouteRef);
  const params = entityRouteParams(entity);
  const path = tab?.(params);
  if (path) return path;
  return entityRoute ? `${entityRoute(params)}/service-mesh` : undefined;
}
