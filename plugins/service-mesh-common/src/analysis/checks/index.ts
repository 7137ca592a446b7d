/*
 * Every snapshot check, in code order. A check family is one file beside this one that exports its checks; a new
 * check in an existing family needs no change here. MESH080/081 (live traffic) are not snapshot checks: see
 * traffic.ts (analyzeTraffic).
 */
import type { MeshCheck } from '../check';
import { COLLECTION_CHECKS } from './collection';
import { CONTROL_PLANE_CHECKS } from './controlPlane';
import { GATEWAY_CHECKS } from './gateways';
import { ISTIOD_PROXY_CHECKS } from './istiodProxies';
import { ISTIOD_REMOTE_CHECKS } from './istiodRemotes';
import { LOCALITY_CHECKS } from './locality';
import { MTLS_CHECKS } from './mtls';
import { NAMESPACE_CHECKS } from './namespaces';
import { POLICY_DRIFT_CHECKS } from './policyDrift';
import { SIDECAR_SCOPE_CHECKS } from './sidecarScope';
import { SUBSET_CHECKS } from './subsets';
import { INTERMEDIATE_CA_CHECKS } from './intermediateCa';
import { REMOTE_SECRET_CHECKS } from './remoteSecrets';
import { ROOT_CA_CHECKS } from './rootCa';
import { SERVICE_CHECKS } from './services';
import { SERVICE_ENTRY_CHECKS } from './serviceEntries';

export const MESH_CHECKS: readonly MeshCheck[] = [
  ...CONTROL_PLANE_CHECKS,
  ...REMOTE_SECRET_CHECKS,
  ...ISTIOD_REMOTE_CHECKS,
  ...ISTIOD_PROXY_CHECKS,
  ...ROOT_CA_CHECKS,
  ...INTERMEDIATE_CA_CHECKS,
  ...GATEWAY_CHECKS,
  ...LOCALITY_CHECKS,
  ...SERVICE_CHECKS,
  ...POLICY_DRIFT_CHECKS,
  ...SUBSET_CHECKS,
  ...SIDECAR_SCOPE_CHECKS,
  ...NAMESPACE_CHECKS,
  ...SERVICE_ENTRY_CHECKS,
  ...MTLS_CHECKS,
  ...COLLECTION_CHECKS,
];
