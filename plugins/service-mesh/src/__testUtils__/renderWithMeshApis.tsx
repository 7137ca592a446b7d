import { ReactNode } from 'react';
import type { RouteRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { SWRConfig } from 'swr';
import { serviceMeshApiRef, type ServiceMeshApi } from '../api';
import { LocationProbe } from './LocationProbe';

export interface RenderWithMeshApisOptions {
  /** Answer of the permission API for service-mesh.refresh; default allow. */
  allowRefresh?: boolean;
  /** Permissions (by name) the permission API denies; every other is allowed. */
  deny?: string[];
  routeEntries?: string[];
  mountedRoutes?: { [path: string]: RouteRef };
}

/**
 * Renders in a test app with the mesh API and a permission API, plus a probe that shows the current URL.
 * Each render gets its own permission cache (usePermission caches decisions in SWR).
 */
export function renderWithMeshApis(
  element: ReactNode,
  api: ServiceMeshApi,
  options: RenderWithMeshApisOptions = {},
) {
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [serviceMeshApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({
              authorize: request =>
                [
                  ...(options.deny ?? []),
                  ...(options.allowRefresh === false
                    ? ['service-mesh.refresh']
                    : []),
                ].includes(request.permission.name)
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            }),
          ],
        ]}
      >
        {element}
        <LocationProbe />
      </TestApiProvider>
    </SWRConfig>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: options.mountedRoutes,
    },
  );
}
