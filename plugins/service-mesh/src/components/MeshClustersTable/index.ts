export { MeshClustersTable } from './MeshClustersTable';
export type { MeshClustersTableProps } from './MeshClustersTable';
