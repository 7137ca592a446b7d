import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { serviceMeshClustersServiceRef } from '@internal/plugin-service-mesh-node';
import { createOnboardNamespaceAction } from './actions/onboard';

/**
 * Registers the service-mesh onboarding action with the scaffolder.
 *
 * @public
 */
export const scaffolderModuleServiceMesh = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'service-mesh',
  register(env) {
    env.registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        clusterAccess: serviceMeshClustersServiceRef,
      },
      async init({
        scaffolderActions,
        config,
        permissions,
        logger,
        auditor,
        clusterAccess,
      }) {
        scaffolderActions.addActions(
          createOnboardNamespaceAction({
            config,
            permissions,
            logger,
            auditor,
            clusterAccess,
          }),
        );
      },
    });
  },
});
