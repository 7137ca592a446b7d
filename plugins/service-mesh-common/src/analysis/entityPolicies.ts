/*
 * What is in force for a catalog entity's Services and workloads in one cluster: the DestinationRules and
 * VirtualServices of its Services (with the clients each applies to), the PeerAuthentications and
 * AuthorizationPolicies of its workloads,
 * and the weakest mTLS mode they leave. Every rule comes from the rule modules (destinationRules, virtualServices,
 * peerAuthentication), the same ones the simulator and the checks use, so the entity tab cannot disagree with
 * them. Lookups go through indexes built once per cluster data object.
 */
import type { ClusterMeshData, PolicyResource } from '../types/snapshot';
import { compareStrings } from '../util/guards';
import type { PolicyClients, PolicyMerge } from '../types/api';
import {
  destinationRuleIndex,
  destinationRulesInForce,
} from './destinationRules';
import type { ClusterObjects } from './entityObjects';
import {
  type EffectiveMtlsMode,
  mtlsPolicyResolver,
  peerAuthenticationsInForce,
  weakestMtlsMode,
} from './peerAuthentication';
import { virtualServiceIndex, virtualServicesInForce } from './virtualServices';
import { authorizationPoliciesInForce } from './authorizationPolicies';

export interface PolicyInForce {
  policy: PolicyResource;
  /** Clients it applies to (DestinationRules, VirtualServices); absent for PeerAuthentications and AuthorizationPolicies. */
  clients?: PolicyClients;
  merge?: PolicyMerge;
}

const ref = (p: PolicyResource) => `${p.namespace}/${p.name}`;

function mergeClients(a: PolicyClients, b: PolicyClients): PolicyClients {
  const namespaces = [...new Set([...a.namespaces, ...b.namespaces])].sort(
    compareStrings,
  );
  const gateways = [...new Set([...(a.gateways ?? []), ...(b.gateways ?? [])])];
  return {
    namespaces,
    ...(a.workloadSelector ? { workloadSelector: a.workloadSelector } : {}),
    ...(gateways.length > 0 ? { gateways: gateways.sort(compareStrings) } : {}),
  };
}

/**
 * The policies in force for the entity's objects in one cluster: DestinationRules and VirtualServices of its
 * Services, PeerAuthentications of its workloads (of its namespaces when it has no workloads there).
 */
export function entityPoliciesInForce(
  data: ClusterMeshData,
  objects: ClusterObjects,
  namespaces: string[],
): PolicyInForce[] {
  const out = new Map<string, PolicyInForce>();
  const add = (entry: PolicyInForce) => {
    const key = `${entry.policy.kind}/${ref(entry.policy)}/${JSON.stringify(
      entry.clients?.workloadSelector ?? null,
    )}`;
    const known = out.get(key);
    if (!known) out.set(key, entry);
    else if (known.clients && entry.clients)
      known.clients = mergeClients(known.clients, entry.clients);
  };

  const drs = destinationRuleIndex(data);
  const vss = virtualServiceIndex(data);
  for (const service of objects.services) {
    for (const { rule, clients } of destinationRulesInForce(drs, service)) {
      const merge: PolicyMerge | undefined =
        rule.from.length > 1
          ? {
              rules: rule.from.map(ref),
              ...(rule.trafficPolicyFrom
                ? { trafficPolicyFrom: ref(rule.trafficPolicyFrom) }
                : {}),
            }
          : undefined;
      for (const policy of rule.from)
        add({ policy, clients, ...(merge ? { merge } : {}) });
    }
    for (const { rule, clients } of virtualServicesInForce(vss, service))
      add({ policy: rule, clients });
  }

  const resolve = mtlsPolicyResolver(data);
  const decisions =
    objects.workloads.length > 0
      ? objects.workloads.map(w => resolve(w.namespace, w.labels))
      : namespaces.map(ns => resolve(ns));
  for (const decision of decisions)
    for (const policy of peerAuthenticationsInForce(decision)) add({ policy });
  const authorization =
    objects.workloads.length > 0
      ? objects.workloads.flatMap(w =>
          authorizationPoliciesInForce(data, w.namespace, w.labels),
        )
      : namespaces.flatMap(ns => authorizationPoliciesInForce(data, ns));
  for (const policy of authorization) add({ policy });
  return [...out.values()];
}

/**
 * One mTLS mode per cluster for an entity: the weakest among its workloads (or its namespaces when it has no
 * workloads there), since that is what it exposes.
 */
export function entityMtlsMode(
  data: ClusterMeshData,
  objects: ClusterObjects,
  namespaces: string[],
): EffectiveMtlsMode {
  const resolve = mtlsPolicyResolver(data);
  const modes =
    objects.workloads.length > 0
      ? objects.workloads.map(w => resolve(w.namespace, w.labels).mode)
      : namespaces.map(ns => resolve(ns).mode);
  return modes.length > 0 ? weakestMtlsMode(modes) : resolve('').mode;
}
