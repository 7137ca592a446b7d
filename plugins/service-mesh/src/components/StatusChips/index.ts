export { ToneChip } from './ToneChip';
export type { Tone, ToneChipProps } from './ToneChip';
export { SeverityChip } from './SeverityChip';
export { ClusterStatusChip } from './ClusterStatusChip';
export { GatewayHealthChip } from './GatewayHealthChip';
export { MtlsChip } from './MtlsChip';
export { StaleBadge } from './StaleBadge';
