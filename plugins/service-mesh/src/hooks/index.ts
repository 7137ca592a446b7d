export { useMeshOverview } from './useMeshOverview';
export { useEntityMesh } from './useEntityMesh';
export { useSnapshotUpdates } from './useSnapshotUpdates';
