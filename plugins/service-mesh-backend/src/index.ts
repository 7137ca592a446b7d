/**
 * Backend plugin for multi-cluster Istio service meshes, and the cluster-access API other backend modules (the
 * scaffolder onboarding action) reuse so that every part of the suite reads the same clusters the same way.
 *
 * @packageDocumentation
 */
export { serviceMeshPlugin as default } from './plugin';
export {
  readMeshClusters,
  readServiceMeshConfig,
  type MeshClusterConfig,
  type ServiceMeshConfig,
} from './cluster/config';
export {
  createKubeConfig,
  DefaultClusterClientFactory,
  type ClusterClientFactory,
} from './cluster/ClusterClientFactory';
export type { KubeClient, KubeListOptions } from './cluster/KubeClient';
export { KubeApiError } from './cluster/KubeApiError';
export { meshSnapshotServiceRef } from './snapshot/meshSnapshotServiceRef';
export type {
  MeshSnapshotService,
  MeshSnapshotState,
} from './snapshot/MeshSnapshotService';
export type { SnapshotStore, StoredSnapshot } from './snapshot/SnapshotStore';
export type { SnapshotIndex, ClusterObjects } from './snapshot/SnapshotIndex';
export { meshTrafficServiceRef } from './metrics/meshTrafficServiceRef';
export type {
  MeshTrafficService,
  TrafficResult,
} from './metrics/MeshTrafficService';
