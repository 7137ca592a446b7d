export { TrafficTrends } from './TrafficTrends';
