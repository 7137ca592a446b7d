import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { serviceMeshApiRef, ServiceMeshClient } from './api';
import {
  entityContentRouteRef,
  findingDocsRouteRef,
  rootRouteRef,
} from './routes';

/**
 * The service-mesh frontend plugin (legacy frontend system).
 *
 * @public
 */
export const serviceMeshPlugin = createPlugin({
  id: 'service-mesh',
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
    findingDocs: findingDocsRouteRef,
  },
  apis: [
    createApiFactory({
      api: serviceMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServiceMeshClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The platform dashboard of the whole mesh.
 *
 * @public
 */
export const ServiceMeshPage = serviceMeshPlugin.provide(
  createRoutableExtension({
    name: 'ServiceMeshPage',
    component: () =>
      import('./components/ServiceMeshPage').then(m => m.ServiceMeshPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Service Mesh tab of a catalog entity.
 *
 * @public
 */
export const EntityServiceMeshContent = serviceMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityServiceMeshContent',
    component: {
      lazy: () =>
        import('./components/EntityServiceMeshContent').then(
          m => m.EntityServiceMeshContent,
        ),
    },
  }),
);

/**
 * A compact mesh summary card for the entity overview.
 *
 * @public
 */
export const EntityServiceMeshCard = serviceMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityServiceMeshCard',
    component: {
      lazy: () =>
        import('./components/EntityServiceMeshCard').then(
          m => m.EntityServiceMeshCard,
        ),
    },
  }),
);
