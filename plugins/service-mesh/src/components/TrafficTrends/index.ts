export { TrafficTrends } from './TrafficTrends';
export { useWidth } from './useWidth';
export type { ChartData } from './chartData';
