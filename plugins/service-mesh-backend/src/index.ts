/**
 * Backend plugin for multi-cluster Istio service meshes. Cluster access (shared with the scaffolder module) is in
 * the plugin-service-mesh-node package.
 *
 * @packageDocumentation
 */
export { serviceMeshPlugin as default } from './plugin';
export {
  readServiceMeshConfig,
  type ServiceMeshConfig,
  type ServiceMeshMode,
} from './cluster/config';
export { meshSnapshotServiceRef } from './snapshot/meshSnapshotServiceRef';
export type {
  MeshSnapshotService,
  MeshSnapshotStartOptions,
  MeshSnapshotState,
  StartedRefresh,
} from './snapshot/MeshSnapshotService';
export type {
  SnapshotStore,
  SnapshotStoreGetOptions,
  SnapshotStoreHealth,
  SnapshotStoreSetOptions,
  StoredSnapshot,
} from './snapshot/SnapshotStore';
export { meshTrafficServiceRef } from './metrics/meshTrafficServiceRef';
export type {
  MeshTrafficService,
  TrafficHealth,
  TrafficResult,
} from './metrics/MeshTrafficService';
export type { ResilientCacheHealth } from './cache/ResilientCache';
