/*
 * Live traffic: types of the traffic API, the expected split per client cluster, and the views that put the
 * measured split next to it. The findings (MESH080/081) are `analyzeTraffic` in the analysis.
 */
export * from './types';
export {
  expectedSplitByCluster,
  clusterLocalities,
  clusterNameResolver,
  type ExpectedSplit,
} from './expectedSplit';
export {
  serviceTrafficView,
  servicesInTraffic,
  clusterTrafficEdges,
  compareSplit,
  latencySummary,
  type ServiceTrafficOptions,
} from './summarize';
export {
  histogramQuantile,
  mergeBuckets,
  type HistogramBucket,
} from './histogram';
