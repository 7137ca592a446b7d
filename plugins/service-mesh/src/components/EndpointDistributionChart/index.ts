export { EndpointDistributionChart } from './EndpointDistributionChart';
export type { EndpointDistributionChartProps } from './EndpointDistributionChart';
