export { useMeshOverview } from './useMeshOverview';
export { useEntityMesh } from './useEntityMesh';
