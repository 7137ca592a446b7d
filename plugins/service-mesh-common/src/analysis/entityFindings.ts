/*
 * The findings that concern one catalog entity: those about its namespaces, services and their policies and
 * workloads, plus cluster-wide problems (control plane, remote secrets, root CA, gateways, collection) in the
 * clusters where the entity runs, since those break its cross-cluster traffic too. Which is which is the code's
 * `scope` in the registry (findings/definition.ts).
 */
import { ISTIO_SYSTEM_NAMESPACE } from '../constants';
import { FINDING_CODES } from '../findings/registry';
import type { Finding } from '../types/api';
import { asArray, asString, isRecord } from '../util/guards';

export interface EntityScope {
  namespaces: string[];
  services: Array<{ namespace: string; name: string }>;
  clusters: string[];
}

function strings(value: unknown): string[] {
  return asArray(value)
    .map(asString)
    .filter((s): s is string => s !== undefined);
}

export function findingsForEntity(
  findings: Finding[],
  scope: EntityScope,
): Finding[] {
  const namespaces = new Set(strings(scope?.namespaces));
  const services = asArray(scope?.services).filter(isRecord);
  const serviceKeys = new Set(
    services.map(
      s => `${asString(s.namespace) ?? ''}/${asString(s.name) ?? ''}`,
    ),
  );
  const serviceNamespaces = new Set(
    services.map(s => asString(s.namespace) ?? ''),
  );
  const clusters = new Set(strings(scope?.clusters));
  const inClusters = (f: Finding) =>
    strings(f.clusters).some(c => clusters.has(c));

  return asArray(findings).filter((f): f is Finding => {
    if (!isRecord(f)) return false;
    const finding = f as unknown as Finding;
    const codeScope = FINDING_CODES[finding.code]?.scope;
    if (codeScope === 'housekeeping') return false;
    if (codeScope === 'cluster') return inClusters(finding);
    const resource = isRecord(finding.resource) ? finding.resource : undefined;
    if (!resource) return inClusters(finding);
    const kind = asString(resource.kind) ?? '';
    const name = asString(resource.name) ?? '';
    const namespace = asString(resource.namespace);
    if (kind === 'Namespace' && !namespace) {
      return namespaces.has(name) || serviceNamespaces.has(name);
    }
    if (!namespace) return inClusters(finding);
    if (namespaces.has(namespace)) return true;
    if (
      kind === 'Service' ||
      !['DestinationRule', 'VirtualService', 'PeerAuthentication'].includes(
        kind,
      )
    ) {
      // Services and workloads: the entity's own (a workload usually shares its service's name).
      if (serviceKeys.has(`${namespace}/${name}`)) return true;
      return false;
    }
    // Policies: those in a namespace of the entity's services, and mesh-wide ones in the root namespace.
    if (serviceNamespaces.has(namespace)) return true;
    return (
      namespace === ISTIO_SYSTEM_NAMESPACE &&
      (clusters.size === 0 || inClusters(finding))
    );
  });
}
