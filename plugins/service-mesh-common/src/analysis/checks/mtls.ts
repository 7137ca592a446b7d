/*
 * mTLS across clusters (MESH070/071).
 *
 * MESH071 follows istiod's EndpointsByNetworkFilter + mtls_checker: an endpoint on another network is sent to a
 * client only through the east-west gateway, and only when the connection would be ISTIO_MUTUAL (the gateway
 * routes on the mTLS SNI with AUTO_PASSTHROUGH). It is dropped when a DestinationRule sets tls.mode other than
 * ISTIO_MUTUAL, when PeerAuthentication disables mTLS for the workload, or when the pod has no sidecar
 * (security.istio.io/tlsMode is not istio). The client cluster's istiod decides with its own DR/PA copies.
 *
 * Choice: a destination workload is reported for missing sidecars only when NONE of the service's pods in that
 * cluster has one. Then every remote endpoint there is dropped and the cluster is unreachable from other
 * networks. When only some pods lack a sidecar, istiod drops just those endpoints and the service still works
 * across networks; that case is MESH063 (pods without sidecar), not MESH071, so one problem gives one finding.
 */
import { serviceSelectorSelects } from '../../labels/labelSelector';
import type { Finding } from '../../types/api';
import type {
  MeshService,
  MeshWorkload,
  PolicyResource,
} from '../../types/snapshot';
import {
  asArray,
  asRecord,
  asString,
  compareStrings,
  isRecord,
  uniqueSorted,
} from '../../util/guards';
import { defineCheck } from '../check';
import {
  type AnalysisContext,
  ctxFlag,
  isOnboarded,
  type MemberData,
  onboardedNamespaces,
} from '../context';
import { listNames, makeFinding } from '../finding';
import {
  type DestinationRuleIndex,
  destinationRuleForClient,
  destinationRuleIndex,
  ruleDefining,
} from '../destinationRules';
import { mtlsBehaviour, mtlsPolicyResolver } from '../peerAuthentication';
import { trafficPolicies } from '../destinationRuleSpec';

/** MESH070: the namespace-wide effective mode differs across the clusters where the namespace is onboarded. */
export const mtlsModesCheck = defineCheck({
  name: 'mtlsModes',
  // meshConfigs: the root namespace whose PeerAuthentications are mesh-wide.
  inputs: ['namespaces', 'peerAuthentications', 'meshConfigs'],
  codes: ['MESH070'],
  run: checkMtlsModes,
});

function checkMtlsModes(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const resolvers = new Map(
    ctx.withData.map(m => [m.name, mtlsPolicyResolver(m.data)]),
  );
  for (const ns of onboardedNamespaces(ctx)) {
    const modes = new Map<string, string[]>();
    const shown = new Map<string, Set<string>>();
    for (const m of ctx.withData) {
      if (!isOnboarded(m, ns)) continue;
      const mode = resolvers.get(m.name)!(ns).mode;
      const behaviour = mtlsBehaviour(mode);
      modes.set(behaviour, [...(modes.get(behaviour) ?? []), m.name]);
      shown.set(behaviour, (shown.get(behaviour) ?? new Set()).add(mode));
    }
    if (modes.size <= 1) continue;
    // Most common mode first; on a tie the strictest (STRICT sorts before PERMISSIVE and DISABLE).
    const rank = (mode: string) =>
      ['STRICT', 'PERMISSIVE', 'DISABLE'].indexOf(mode);
    const ordered = [...modes].sort(
      ([a, ca], [b, cb]) =>
        cb.length - ca.length || rank(a) - rank(b) || compareStrings(a, b),
    );
    const [target] = ordered[0];
    const others = ordered.slice(1).flatMap(([, clusters]) => clusters);
    findings.push(
      makeFinding({
        code: 'MESH070',
        message: `Effective mTLS mode of namespace ${ns} differs across clusters: ${ordered
          .map(
            ([b, clusters]) =>
              `${[...shown.get(b)!].join('/')} in ${listNames(clusters)}`,
          )
          .join(
            '; ',
          )}. Calls fail in one direction only (e.g. plaintext from a non-mTLS client into a STRICT cluster).`,
        clusters: ordered.flatMap(([, clusters]) => clusters),
        resource: { kind: 'Namespace', name: ns },
        hint: `Apply the same PeerAuthentication (mode ${target}) in ${listNames(
          others,
        )}: kubectl apply -n ${ns} -f - --context=<cluster> <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
spec:
  mtls:
    mode: ${target}
EOF`,
      }),
    );
  }
  return findings;
}

interface Reason {
  text: string;
  hint: string;
}

/** Per-cluster indexes, built once: MESH071 resolves every service for every pair of clusters. */
interface ClusterIndex {
  member: MemberData;
  mtls: ReturnType<typeof mtlsPolicyResolver>;
  destinationRules: DestinationRuleIndex;
  workloadsByNamespace: Map<string, MeshWorkload[]>;
  /** Some PeerAuthentication sets mode DISABLE: without one, disabledBy finds nothing in this cluster. */
  mayDisable: boolean;
  /** Some DestinationRule sets a tls.mode other than ISTIO_MUTUAL: without one, tlsReason finds nothing. */
  mayTls: boolean;
  /** DR tls reason per service key, computed on first use. */
  tlsReasons: Map<string, Reason | undefined>;
  /**
   * As a client: the DISABLE policy per (namespace, label sets), computed on first use. The same service
   * (same selector and pod labels) exists in many destination clusters; without this each client resolves it
   * once per destination cluster, quadratic in clusters.
   */
  clientDisabled: Map<string, PolicyResource | undefined>;
}

function indexCluster(member: MemberData): ClusterIndex {
  const workloadsByNamespace = new Map<string, MeshWorkload[]>();
  for (const w of member.data.workloads) {
    const list = workloadsByNamespace.get(w.namespace);
    if (list) list.push(w);
    else workloadsByNamespace.set(w.namespace, [w]);
  }
  return {
    member,
    mtls: mtlsPolicyResolver(member.data),
    destinationRules: destinationRuleIndex(member.data),
    workloadsByNamespace,
    mayDisable: asArray(member.data.peerAuthentications).some(
      p =>
        asString(
          asRecord(asRecord(asRecord(p).spec).mtls).mode,
        )?.toUpperCase() === 'DISABLE',
    ),
    // Conservative: any tls.mode a consolidated rule shows comes from one of the cluster's rules.
    mayTls: asArray(member.data.destinationRules).some(
      dr =>
        isRecord(dr) &&
        trafficPolicies(asRecord(dr.spec)).some(
          v => v.tlsMode && v.tlsMode.toUpperCase() !== 'ISTIO_MUTUAL',
        ),
    ),
    tlsReasons: new Map(),
    clientDisabled: new Map(),
  };
}

/** The first label set whose mode in force is DISABLE by a policy, and that policy. */
function disablingPolicy(
  index: ClusterIndex,
  namespace: string,
  labelSets: Array<Record<string, string>>,
): PolicyResource | undefined {
  for (const labels of labelSets) {
    const { mode, source } = index.mtls(namespace, labels);
    if (mode === 'DISABLE' && source) return source;
  }
  return undefined;
}

function disabledReason(
  cluster: string,
  source: PolicyResource,
  service: MeshService,
  side: 'client' | 'destination',
): Reason {
  return {
    text: `PeerAuthentication ${source.namespace}/${
      source.name
    } in ${cluster} disables mTLS for ${service.namespace}/${service.name}${
      side === 'client'
        ? ` (${cluster}'s istiod then drops the remote endpoints)`
        : ' (its sidecars refuse mTLS)'
    }`,
    hint: `kubectl -n ${source.namespace} patch peerauthentication ${
      source.name
    } --type=merge -p '{"spec":{"mtls":{"mode":"STRICT"}}}' ${ctxFlag(
      cluster,
    )}`,
  };
}

/** A content key for (namespace, label sets); undefined when a label value cannot be written as one. */
function labelSetsKey(
  namespace: string,
  labelSets: Array<Record<string, string>>,
): string | undefined {
  try {
    return JSON.stringify([namespace, labelSets]);
  } catch {
    return undefined;
  }
}

function clientDisabledReason(
  client: ClusterIndex,
  service: MeshService,
  labelSets: Array<Record<string, string>>,
  key: string | undefined,
): Reason | undefined {
  if (!client.mayDisable) return undefined;
  let source: PolicyResource | undefined;
  if (key !== undefined && client.clientDisabled.has(key)) {
    source = client.clientDisabled.get(key);
  } else {
    source = disablingPolicy(client, service.namespace, labelSets);
    if (key !== undefined) client.clientDisabled.set(key, source);
  }
  return source
    ? disabledReason(client.member.name, source, service, 'client')
    : undefined;
}

/** A DestinationRule tls.mode other than ISTIO_MUTUAL in the client cluster's copy of the rules. */
function tlsReason(
  client: ClusterIndex,
  service: MeshService,
  key: string,
): Reason | undefined {
  if (!client.mayTls) return undefined;
  if (client.tlsReasons.has(key)) return client.tlsReasons.get(key);
  let reason: Reason | undefined;
  // The rule the client cluster's istiod gives a client in the service's namespace (see serviceDestinationRule).
  const merged = destinationRuleForClient(
    client.destinationRules,
    { namespace: service.namespace },
    service,
  );
  const view = merged
    ? trafficPolicies(merged.spec).find(
        v => v.tlsMode && v.tlsMode.toUpperCase() !== 'ISTIO_MUTUAL',
      )
    : undefined;
  const dr = merged && view ? ruleDefining(merged, view.where) : undefined;
  if (dr && view) {
    reason = {
      text: `DestinationRule ${dr.namespace}/${dr.name} in ${client.member.name} sets ${view.where}.tls.mode ${view.tlsMode}`,
      hint: `remove tls from DestinationRule ${dr.namespace}/${
        dr.name
      } (auto mTLS) or set tls.mode: ISTIO_MUTUAL: kubectl -n ${
        dr.namespace
      } edit destinationrule ${dr.name} ${ctxFlag(client.member.name)}`,
    };
  }
  client.tlsReasons.set(key, reason);
  return reason;
}

/** MESH071: for services with endpoints on another network than a client cluster. */
export const crossNetworkMtlsCheck = defineCheck({
  name: 'crossNetworkMtls',
  // meshConfigs: the mesh-wide exportTo defaults decide which DestinationRules a client sees.
  inputs: [
    'services',
    'workloads',
    'peerAuthentications',
    'destinationRules',
    'meshConfigs',
  ],
  codes: ['MESH071'],
  run: checkCrossNetworkMtls,
});

/** Facts about the destination, the same for every client. */
function destinationReasons(
  dest: ClusterIndex,
  service: MeshService,
  workloads: MeshWorkload[],
  labelSets: Array<Record<string, string>>,
): Reason[] {
  const reasons: Reason[] = [];
  const disabling = dest.mayDisable
    ? disablingPolicy(dest, service.namespace, labelSets)
    : undefined;
  if (disabling) {
    reasons.push(
      disabledReason(dest.member.name, disabling, service, 'destination'),
    );
  }
  const pods = workloads.reduce((s, w) => s + w.pods, 0);
  if (pods > 0 && workloads.every(w => w.podsWithSidecar === 0)) {
    const name = dest.member.name;
    reasons.push({
      text: `no pod of ${listNames(
        workloads.map(w => `${w.kind} ${w.name}`),
      )} in ${name} has a sidecar`,
      hint: `onboard namespace ${
        service.namespace
      } in ${name} and restart: ${workloads
        .map(
          w =>
            `kubectl -n ${
              service.namespace
            } rollout restart ${w.kind.toLowerCase()}/${w.name} ${ctxFlag(
              name,
            )}`,
        )
        .join('; ')}`,
    });
  }
  return reasons;
}

/*
 * Cost: linear in (clusters × services) for the destination facts; the client side is resolved only for
 * clients that have a DISABLE PeerAuthentication or a non-ISTIO_MUTUAL DestinationRule at all, and memoised per
 * (client, namespace, label sets), so a mesh without such policies never pays clusters² × services.
 * mtls.property.test.ts checks this gives the findings of the straightforward pairwise loop.
 */
function checkCrossNetworkMtls(ctx: AnalysisContext): Finding[] {
  if (!ctx.multiNetwork) return [];
  const findings: Finding[] = [];
  const indexes = new Map(ctx.withData.map(m => [m.name, indexCluster(m)]));
  for (const dest of ctx.withData) {
    if (!dest.network) continue;
    const clients = ctx.withData
      .filter(c => c.network && c.network !== dest.network)
      .map(c => indexes.get(c.name)!);
    if (clients.length === 0) continue;
    // Only these clients can give a reason of their own; the others get the destination's reasons only.
    const deciding = clients.filter(c => c.mayDisable || c.mayTls);
    const destIndex = indexes.get(dest.name)!;
    for (const service of dest.data.services) {
      if (!service.endpoints.some(e => e.ready + e.notReady > 0)) continue;
      // A Service without selector selects no pods (serviceSelectorSelects).
      const workloads = (
        destIndex.workloadsByNamespace.get(service.namespace) ?? []
      ).filter(w => serviceSelectorSelects(service.selector, w.labels));
      const labelSets =
        workloads.length > 0
          ? workloads.map(w => w.labels)
          : [service.selector];
      const destReasons = destinationReasons(
        destIndex,
        service,
        workloads,
        labelSets,
      );
      if (destReasons.length === 0 && deciding.length === 0) continue;

      const serviceKey = `${service.namespace}/${service.name}`;
      const labelsKey = deciding.some(c => c.mayDisable)
        ? labelSetsKey(service.namespace, labelSets)
        : undefined;
      const own = new Map<ClusterIndex, Reason[]>();
      for (const client of deciding) {
        const reasons = [
          clientDisabledReason(client, service, labelSets, labelsKey),
          tlsReason(client, service, serviceKey),
        ].filter((r): r is Reason => r !== undefined);
        if (reasons.length > 0) own.set(client, reasons);
      }
      if (own.size === 0 && destReasons.length === 0) continue;

      // Reasons in first-seen order over the clients, each client's own before the destination's.
      const byReason = new Map<string, { reason: Reason; clients: string[] }>();
      for (const client of clients) {
        const reasons = [...(own.get(client) ?? []), ...destReasons];
        for (const reason of reasons) {
          const entry = byReason.get(reason.text) ?? { reason, clients: [] };
          entry.clients.push(client.member.name);
          byReason.set(reason.text, entry);
        }
      }
      const clientList = uniqueSorted(
        [...byReason.values()].flatMap(e => e.clients),
      );
      findings.push(
        makeFinding({
          code: 'MESH071',
          message: `Traffic from ${listNames(clientList)} to ${
            service.namespace
          }/${service.name} endpoints in ${dest.name} (network ${
            dest.network
          }) would not be Istio mTLS: ${[...byReason.values()]
            .map(e => e.reason.text)
            .join(
              '; ',
            )}. Cross-network traffic goes through the east-west gateway as ISTIO_MUTUAL only, so istiod drops those endpoints.`,
          clusters: [dest.name, ...clientList],
          resource: {
            kind: 'Service',
            namespace: service.namespace,
            name: service.name,
          },
          idParts: [`to-${dest.name}`],
          hint: [
            ...new Set([...byReason.values()].map(e => e.reason.hint)),
          ].join('; '),
        }),
      );
    }
  }
  return findings;
}

export const MTLS_CHECKS = [mtlsModesCheck, crossNetworkMtlsCheck];
