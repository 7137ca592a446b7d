import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
import type { FilterPredicate } from '@backstage/filter-predicates';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@internal/plugin-service-mesh-common';
import { serviceMeshApiRef, ServiceMeshClient } from './api';
import {
  entityContentRouteRef,
  findingDocsRouteRef,
  rootRouteRef,
} from './routes';

/** Entities the Kubernetes plugin can match: the same annotations give the mesh tab and card. */
const meshEntityFilter: FilterPredicate = {
  $any: [
    { [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: { $exists: true } },
    {
      [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]: {
        $exists: true,
      },
    },
  ],
};

const serviceMeshApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: serviceMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServiceMeshClient({ discoveryApi, fetchApi }),
    }),
});

const serviceMeshPage = PageBlueprint.make({
  params: {
    path: '/service-mesh',
    title: 'Service Mesh',
    icon: <DeviceHubIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      Promise.all([
        import('./components/ServiceMeshRoutes'),
        import('@backstage/core-components'),
      ]).then(([m, { Content }]) =>
        compatWrapper(
          <Content>
            <m.ServiceMeshRoutes />
          </Content>,
        ),
      ),
  },
});

const entityServiceMeshContent = EntityContentBlueprint.make({
  params: {
    path: '/service-mesh',
    title: 'Service Mesh',
    group: 'deployment',
    routeRef: convertLegacyRouteRef(entityContentRouteRef),
    filter: meshEntityFilter,
    loader: () =>
      import('./components/EntityServiceMeshContent').then(m =>
        compatWrapper(<m.EntityServiceMeshContent />),
      ),
  },
});

const entityServiceMeshCard = EntityCardBlueprint.make({
  params: {
    type: 'info',
    filter: meshEntityFilter,
    loader: () =>
      import('./components/EntityServiceMeshCard').then(m =>
        compatWrapper(<m.EntityServiceMeshCard />),
      ),
  },
});

/**
 * The service-mesh plugin for Backstage's new frontend system: the API, the `/service-mesh` dashboard page,
 * the entity tab and the entity overview card.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'service-mesh',
  title: 'Service Mesh',
  icon: <DeviceHubIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  extensions: [
    serviceMeshApi,
    serviceMeshPage,
    entityServiceMeshContent,
    entityServiceMeshCard,
  ],
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
    entityContent: convertLegacyRouteRef(entityContentRouteRef),
    findingDocs: convertLegacyRouteRef(findingDocsRouteRef),
  },
});

export {
  serviceMeshScaffolderModule,
  serviceMeshClusterPickerFormField,
} from './scaffolder/alpha';

export { serviceMeshTranslationRef } from './translation';
