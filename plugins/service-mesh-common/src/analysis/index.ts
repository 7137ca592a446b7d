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
export {
  serviceHost,
  resolveShortnameToFqdn,
  hostsMatch,
  DOMAIN_SUFFIX,
} from './hosts';
export {
  destinationRuleIndex,
  destinationRuleForClient,
  destinationRulesFor,
  destinationRulesInForce,
  serviceDestinationRule,
  type ConsolidatedDestinationRule,
  type DestinationRuleClient,
  type DestinationRuleIndex,
  type DestinationRuleInForce,
  type PolicyClients,
} from './destinationRules';
export { compareFindings, findingId } from './finding';
export { rbacRuleFor } from './checks/collection';
