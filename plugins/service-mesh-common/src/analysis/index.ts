/*
 * The analysis API: pure functions over the snapshot. The backend runs them after each refresh; the browser
 * runs the locality simulator for what-if views.
 */
export { analyzeMesh, type AnalyzeOptions } from './analyzeMesh';
export { analyzeTraffic, type AnalyzeTrafficOptions } from './checks/traffic';
export { meshMembers, isMultiNetwork } from './membership';
export { effectiveMtlsMode } from './peerAuthentication';
export { selectTrafficPolicy, buildSimulationInput } from './simulationInput';
export { findingsForEntity, type EntityScope } from './entityFindings';
// Helpers the backend and the frontend may reuse.
export { normalizeSnapshot, normalizeClusterData } from './normalize';
export { clusterNetwork } from './membership';
export {
  effectiveMtlsPolicy,
  mtlsBehaviour,
  type EffectiveMtlsMode,
} from './peerAuthentication';
export { selectDestinationRule, serviceHost } from './hosts';
export { compareFindings, findingId } from './finding';
export { rbacRuleFor } from './checks/collection';
