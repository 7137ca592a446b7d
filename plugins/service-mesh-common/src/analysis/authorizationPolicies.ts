/*
 * Which AuthorizationPolicies a sidecar workload enforces, as istiod lists them (pilot/pkg/model/authorization.go
 * ListAuthorizationPolicies, pilot/pkg/model/policyattachment.go ShouldAttachPolicy / isSelected): the policies of
 * the root namespace and of the workload's namespace whose selector is absent or whose matchLabels the workload's
 * labels contain. A policy with targetRef(s) is ignored for sidecars (it binds gateways and waypoints).
 */
import type { ClusterMeshData, PolicyResource } from '../types/snapshot';
import {
  asArray,
  asRecord,
  asStringRecord,
  compareStrings,
} from '../util/guards';
import { matchLabelsSubsetOf } from '../labels/labelSelector';
import { meshSettings } from './meshSettings';

/**
 * The AuthorizationPolicies in force for a workload; without labels (a namespace with no workload of the entity),
 * only those without a selector, which apply to every workload there.
 */
export function authorizationPoliciesInForce(
  data: Pick<ClusterMeshData, 'authorizationPolicies' | 'meshConfigs'>,
  namespace: string,
  workloadLabels?: Record<string, string>,
): PolicyResource[] {
  const { rootNamespace } = meshSettings(data.meshConfigs);
  return (asArray(data.authorizationPolicies) as PolicyResource[])
    .filter(p => {
      if (p.namespace !== rootNamespace && p.namespace !== namespace)
        return false;
      const spec = asRecord(p.spec);
      if (spec.targetRef !== undefined || asArray(spec.targetRefs).length > 0)
        return false;
      if (spec.selector === undefined || spec.selector === null) return true;
      const selector = asStringRecord(asRecord(spec.selector).matchLabels);
      return workloadLabels
        ? matchLabelsSubsetOf(selector, workloadLabels)
        : Object.keys(selector).length === 0;
    })
    .sort((a, b) =>
      compareStrings(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`),
    );
}
