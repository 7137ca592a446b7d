export { TrafficPanel } from './TrafficPanel';
export type { TrafficPanelProps } from './TrafficPanel';
