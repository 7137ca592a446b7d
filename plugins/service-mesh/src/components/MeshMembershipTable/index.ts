export { MeshMembershipTable, coveragePercent } from './MeshMembershipTable';
export type { MeshMembershipTableProps } from './MeshMembershipTable';
