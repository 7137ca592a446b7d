/*
 * The analysis API: pure functions over the snapshot. The backend runs them after each refresh; the browser
 * runs the locality simulator for what-if views.
 */
export {
  analyzeMesh,
  runMeshAnalysis,
  MESH_CHECKS,
  RUNNER_CODES,
  type AnalyzeOptions,
  type CheckFailure,
  type MeshAnalysis,
  type SkippedCheck,
} from './analyzeMesh';
export { defineCheck, type CheckInput, type MeshCheck } from './check';
export { CHECK_INPUT_SOURCES, CHECK_INPUTS } from './inputs';
export {
  analyzeTraffic,
  TRAFFIC_CODES,
  type AnalyzeTrafficOptions,
} from './checks/traffic';
export { meshMembers, isMultiNetwork } from './membership';
export { effectiveMtlsMode } from './peerAuthentication';
export { selectTrafficPolicy, buildSimulationInput } from './simulationInput';
export { findingsForEntity, type EntityScope } from './entityFindings';
// Helpers the backend and the frontend may reuse.
export {
  /** @deprecated use parseSnapshot */
  parseSnapshot as normalizeSnapshot,
  /** @deprecated use parseClusterData */
  parseClusterData as normalizeClusterData,
} from '../types/snapshot';
export {
  clusterNetwork,
  dataNetwork,
  networkDeclarations,
  serviceMeshNetworks,
  workloadNetwork,
  workloadsNetwork,
  type NetworkDeclaration,
} from './network';
export {
  effectiveMtlsPolicy,
  mtlsBehaviour,
  mtlsPolicyResolver,
  peerAuthenticationsInForce,
  weakestMtlsMode,
  type EffectiveMtlsMode,
  type PeerAuthenticationDecision,
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
} from './destinationRules';
export {
  virtualServiceIndex,
  virtualServiceForClient,
  virtualServicesInForce,
  type VirtualServiceInForce,
} from './virtualServices';
export {
  SnapshotIndex,
  matchEntityObjects,
  type ClusterObjects,
} from './entityObjects';
export {
  entityPoliciesInForce,
  entityMtlsMode,
  type PolicyInForce,
} from './entityPolicies';
export { meshSettings, type MeshSettings } from './meshSettings';
export {
  assessEastWestGateways,
  eastWestGatewayHealth,
  type ClusterGatewayAssessment,
  type GatewayAssessment,
} from './eastWestGatewayHealth';
export { unreadableInputs } from './inputs';
export { compareFindings, findingId } from './finding';
export {
  DEFAULT_REVISION,
  describeRevision,
  injectableRevisionNames,
  namespaceInjection,
  namespaceRevision,
  resolveRevision,
  revisionTag,
  type ResolvedRevision,
  type RevisionData,
} from './revisions';
export {
  meshReachability,
  reachabilityOf,
  pairOf,
  simReachability,
} from './reachability/model';
export {
  exposeGateways,
  parseNodeSelectorAnnotation,
  nodeSelected,
  addressesUsedBy,
  resolvesHostnameGateways,
  NODE_SELECTOR_ANNOTATION,
  GATEWAY_PORT_LABEL,
  type GatewayExposure,
  type GatewayAddress,
} from './reachability/gatewayExposure';
export { rootTrust, bundleRoots } from './reachability/rootTrust';
