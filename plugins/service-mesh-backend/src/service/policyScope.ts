/*
 * Which Istio policies apply to a service or workload: DestinationRules and VirtualServices by host (short names
 * resolve in the policy's namespace, `*` and `*.suffix` wildcards), PeerAuthentications by scope (mesh-wide in
 * istio-system, namespace-wide, or a selector over the workload's labels).
 */
import {
  ISTIO_SYSTEM_NAMESPACE,
  MeshService,
  MeshWorkload,
  PolicyResource,
} from '@internal/plugin-service-mesh-common';

const CLUSTER_DOMAIN = 'cluster.local';

function serviceFqdn(service: { namespace: string; name: string }): string {
  return `${service.name}.${service.namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** Does `host`, written in a policy of `policyNamespace`, name this service? */
export function hostMatchesService(
  host: string,
  policyNamespace: string,
  service: { namespace: string; name: string },
): boolean {
  const fqdn = serviceFqdn(service);
  const h = host.trim().toLowerCase();
  if (h === '*') return true;
  if (h.startsWith('*.')) return fqdn.endsWith(h.slice(1));
  const labels = h.split('.');
  if (labels.length === 1)
    return `${h}.${policyNamespace}.svc.${CLUSTER_DOMAIN}` === fqdn;
  if (labels.length === 2) return `${h}.svc.${CLUSTER_DOMAIN}` === fqdn;
  if (labels.length === 3 && labels[2] === 'svc')
    return `${h}.${CLUSTER_DOMAIN}` === fqdn;
  return h === fqdn;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function destinationRuleApplies(
  dr: PolicyResource,
  service: MeshService,
): boolean {
  const host = asRecord(dr.spec).host;
  return (
    typeof host === 'string' && hostMatchesService(host, dr.namespace, service)
  );
}

/** A VirtualService applies when it routes requests for the service's host, or routes to the service. */
export function virtualServiceApplies(
  vs: PolicyResource,
  service: MeshService,
): boolean {
  const spec = asRecord(vs.spec);
  const hosts = asArray(spec.hosts).filter(
    (h): h is string => typeof h === 'string',
  );
  if (
    hosts.some(h => h !== '*' && hostMatchesService(h, vs.namespace, service))
  )
    return true;
  return ['http', 'tcp', 'tls'].some(kind =>
    asArray(spec[kind]).some(route =>
      asArray(asRecord(route).route).some(dest => {
        const host = asRecord(asRecord(dest).destination).host;
        return (
          typeof host === 'string' &&
          hostMatchesService(host, vs.namespace, service)
        );
      }),
    ),
  );
}

export function peerAuthenticationApplies(
  pa: PolicyResource,
  namespaces: Set<string>,
  workloads: MeshWorkload[],
): boolean {
  const matchLabels = asRecord(
    asRecord(asRecord(pa.spec).selector).matchLabels,
  );
  const selector = Object.entries(matchLabels).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  if (selector.length === 0)
    return (
      pa.namespace === ISTIO_SYSTEM_NAMESPACE || namespaces.has(pa.namespace)
    );
  return workloads.some(
    w =>
      w.namespace === pa.namespace &&
      selector.every(([k, v]) => w.labels[k] === v),
  );
}
