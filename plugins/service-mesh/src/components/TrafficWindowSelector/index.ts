export { TrafficWindowSelector } from './TrafficWindowSelector';
export type { TrafficWindowSelectorProps } from './TrafficWindowSelector';
export { NoLiveData, type NoLiveDataProps } from './NoLiveData';
export { formatRate, formatErrorRatio, formatMs } from './formatTraffic';
export { useTrafficWindow } from './useTrafficWindow';
