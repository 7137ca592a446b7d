/**
 * Common types, permissions, finding codes and pure analysis for the service-mesh plugins.
 *
 * @packageDocumentation
 */
export * from './types/snapshot';
export * from './types/api';
export * from './types/reachability';
export * from './locality/types';
export * from './locality/trafficDistribution';
export * from './findings/registry';
export * from './findings/definition';
export * from './permissions';
export * from './rbac';
export * from './constants';
export * from './entity';
export * from './analysis';
export * from './traffic';
export { simulateLocality } from './locality/simulate';
export { formatLocality, localityMatches } from './locality/localityMatch';
export {
  OVERPROVISIONING_FACTOR,
  effectiveLocalityWeight,
  priorityHealth,
  priorityLoads,
} from './locality/envoyLoad';
export * from './labels/labelSelector';
export { compareStrings, stableStringify } from './util/guards';
