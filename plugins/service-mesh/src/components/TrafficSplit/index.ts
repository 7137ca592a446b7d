export { TrafficSplit } from './TrafficSplit';
export type { TrafficSplitProps } from './TrafficSplit';
