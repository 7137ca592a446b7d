import { Entity } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { entityContentRouteRef } from '../../routes';

/** A route function, or undefined where the app does not mount the route (useRouteRef throws there). */
function useOptionalRouteRef<T extends Parameters<typeof useRouteRef>[0]>(
  ref: T,
): ReturnType<typeof useRouteRef<any>> | undefined {
  try {
    return useRouteRef(ref);
  } catch {
    return undefined;
  }
}

/**
 * Path of the entity's Service Mesh tab, from the tab's route ref wherever the app mounts it (new frontend
 * system); in a legacy app, which binds no route ref for entity tabs, the entity page's path + `/service-mesh`
 * (the path the README's EntityPage snippet uses). Undefined when the app has no catalog entity route.
 */
export function useServiceMeshTabLink(entity: Entity): string | undefined {
  const tab = useOptionalRouteRef(entityContentRouteRef);
  const entityRoute = useOptionalRouteRef(entityRouteRef);
  const params = entityRouteParams(entity);
  const path = tab
    ? (tab as unknown as (p: object) => string)(params)
    : undefined;
  if (path) return path;
  return entityRoute
    ? `${(entityRoute as unknown as (p: object) => string)(
        params,
      )}/service-mesh`
    : undefined;
}
