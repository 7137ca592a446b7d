export { TrafficPoliciesTable } from './TrafficPoliciesTable';
export type { TrafficPoliciesTableProps } from './TrafficPoliciesTable';
