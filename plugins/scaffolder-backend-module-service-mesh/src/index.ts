/**
 * Scaffolder module with the service-mesh:namespace:onboard action.
 *
 * @packageDocumentation
 */
export { scaffolderModuleServiceMesh as default } from './module';
export { createOnboardNamespaceAction } from './actions/onboard';
export type {
  OnboardNamespaceActionOptions,
  OnboardClusters,
  OnboardClusterClient,
  ClusterResult,
  ClusterResultStatus,
  LabelStyle,
  NamespaceState,
  PeerAuthenticationState,
} from './actions/onboard';
