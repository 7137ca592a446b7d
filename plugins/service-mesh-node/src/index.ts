/**
 * Cluster access for the service-mesh plugins: the clusters of the Kubernetes plugin's configuration (config,
 * catalog, gke, localKubectlProxy locators, plus a kubeconfig file), the Kubernetes plugin's server-side auth
 * strategies, a JSON read client, one error type and one failure classification, and extension points for a
 * cluster supplier and auth strategies.
 *
 * @packageDocumentation
 */
export {
  serviceMeshClustersServiceRef,
  applyClusterExtensions,
} from './serviceMeshClustersServiceRef';
export {
  DefaultServiceMeshClustersService,
  type DefaultServiceMeshClustersServiceOptions,
} from './DefaultServiceMeshClustersService';
export type {
  MeshCluster,
  MeshClusterList,
  MeshClientOptions,
  ServiceMeshClustersService,
} from './types';
export {
  serviceMeshAuthStrategyExtensionPoint,
  serviceMeshClusterSupplierExtensionPoint,
  ServiceMeshClusterExtensions,
  type ServiceMeshAuthStrategyExtensionPoint,
  type ServiceMeshClusterSupplierExtensionPoint,
  type ServiceMeshClusterSupplierFactory,
} from './extensions';
export {
  DEFAULT_CLUSTER_TIMEOUT_SECONDS,
  positiveSeconds,
  readServiceMeshClusterSettings,
  type ServiceMeshClusterSettings,
} from './config';
export {
  ClusterAccessError,
  isClusterAccessError,
  isKubeApiError,
  isKubeStatus,
  KubeApiError,
  type ClusterAccessProblem,
  type KubeApiErrorDetails,
} from './errors';
export {
  classifyClusterFailure,
  clusterStatusOf,
  type ClusterFailure,
  type ClusterFailureKind,
} from './failures';
export {
  createKubeClient,
  PARTIAL_OBJECT_METADATA_ACCEPT,
  PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
  type KubeClient,
  type KubeClientOptions,
  type KubeConfigSource,
  type KubeGetOptions,
  type KubeListOptions,
  type KubeListResult,
  type KubeWatchEvent,
  type KubeWatchOptions,
  type RawGetOptions,
  type RawGetResult,
} from './client/KubeClient';
export {
  PORT_FORWARD_PROTOCOL,
  type PortForwardTarget,
} from './client/portForward';
export { kubeConfigFor } from './client/kubeConfig';
export { defaultAuthStrategies } from './auth/strategies';
export { CLIENT_SIDE_PROVIDERS } from './auth/problems';
export type { GkeClient } from './locate/GkeClusterSource';
export type { ClusterSourceDeps } from './locate/sources';
