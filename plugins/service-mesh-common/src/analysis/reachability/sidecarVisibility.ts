/*
 * Which Services a namespace's sidecars see, as istiod scopes them with Sidecar resources (istio/istio master,
 * 2026-08). A Service a client's Sidecar does not import is not in its Envoy config at all: it is as unreachable
 * as an undiscovered one, whatever the cluster pairs say.
 * - pilot/pkg/model/push_context.go initSidecarScopes: Sidecars sorted by creation time, those with a
 *   workloadSelector first; the root namespace's Sidecar without a selector is the mesh default.
 * - push_context.go doGetSidecarScope: a sidecar proxy takes the first Sidecar of its own namespace whose selector
 *   is a subset of its labels (or that has none); else the root namespace's default, evaluated in the proxy's
 *   namespace; else the default scope, which imports everything ("*\/*").
 * - pilot/pkg/model/sidecar.go initSidecarScopeInternalIndexes: a Sidecar without egress imports "*\/*".
 * - sidecar.go convertIstioListenerToWrapper: hosts are "namespace/dnsName"; "." is the namespace the scope is
 *   evaluated in (the proxy's, also for the root default), "*" any namespace, a "~" prefix excludes (bare "~"
 *   means "~*"); anything without exactly one "/" is ignored.
 * - sidecar.go selectServices: a Service is skipped by a listener when an exclusion of its namespace or of "*"
 *   matches it; else imported when a host of its namespace, or of "*", matches (hostClassification.Matches:
 *   host.Name SubsetOf, "*" and "*.suffix" wildcards); matchingService: a listener with a port imports the
 *   Service only when it has that port (needsPortMatch; HTTP_PROXY listeners are not modelled).
 * Not modelled: exportTo (a Service must also be exported to the client namespace), ServiceEntry hosts.
 */
import type { PolicyResource } from '../../types/snapshot';
import { asArray, isRecord } from '../../util/guards';
import { matchLabelsSubsetOf } from '../../labels/labelSelector';
import type { FindingInput } from '../finding';

/** istiod's default `--domain` (the Kubernetes cluster domain). */
export const DEFAULT_DOMAIN_SUFFIX = 'cluster.local';

interface EgressListener {
  hosts: string[];
  port?: number;
}

/** The Sidecar a proxy of this namespace (with these labels) gets, or undefined: the default scope. */
export function sidecarFor(
  sidecars: readonly PolicyResource[],
  rootNamespace: string,
  namespace: string,
  workloadLabels?: Record<string, string>,
): PolicyResource | undefined {
  const selectorOf = (s: PolicyResource) => {
    const ws = s.spec.workloadSelector;
    if (!isRecord(ws)) return undefined;
    return isRecord(ws.labels) ? (ws.labels as Record<string, string>) : {};
  };
  const byAge = (list: PolicyResource[]) =>
    [...list].sort(
      (a, b) =>
        (a.creationTimestamp ?? '').localeCompare(b.creationTimestamp ?? '') ||
        a.name.localeCompare(b.name),
    );
  const ordered = (ns: string) => {
    const own = sidecars.filter(s => s.namespace === ns);
    return [
      ...byAge(own.filter(s => selectorOf(s) !== undefined)),
      ...byAge(own.filter(s => selectorOf(s) === undefined)),
    ];
  };
  for (const s of ordered(namespace)) {
    const selector = selectorOf(s);
    // Without the workload's labels a selector cannot be matched: take the namespace-wide one.
    if (selector === undefined) return s;
    if (workloadLabels && matchLabelsSubsetOf(selector, workloadLabels))
      return s;
  }
  return ordered(rootNamespace).find(s => selectorOf(s) === undefined);
}

function egressOf(sidecar: PolicyResource): EgressListener[] {
  const egress = asArray(sidecar.spec.egress).filter(isRecord);
  if (egress.length === 0) return [{ hosts: ['*/*'] }];
  return egress.map(e => {
    const port = isRecord(e.port) ? e.port.number : undefined;
    return {
      hosts: asArray(e.hosts).filter((h): h is string => typeof h === 'string'),
      ...(typeof port === 'number' && port > 0 ? { port } : {}),
    };
  });
}

/** host.Name SubsetOf for a non-wildcard service host. */
function hostMatches(hostname: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return hostname.endsWith(pattern.slice(1));
  return hostname === pattern;
}

/** Whether one egress listener, evaluated in `scopeNamespace`, imports the Service. */
function listenerImports(
  listener: EgressListener,
  scopeNamespace: string,
  service: { namespace: string; hostname: string; ports?: number[] },
): boolean {
  const imports = new Map<string, string[]>();
  const excludes = new Map<string, string[]>();
  for (const h of listener.hosts) {
    if (h.split('/').length !== 2) continue;
    const [written, name] = h.split('/');
    let ns = written;
    const excluded = ns.startsWith('~');
    if (excluded) ns = ns.slice(1) || '*';
    if (ns === '.') ns = scopeNamespace;
    const into = excluded ? excludes : imports;
    into.set(ns, [...(into.get(ns) ?? []), name]);
  }
  const any = (m: Map<string, string[]>, ns: string) =>
    (m.get(ns) ?? []).some(p => hostMatches(service.hostname, p));
  if (any(excludes, service.namespace) || any(excludes, '*')) return false;
  if (!any(imports, service.namespace) && !any(imports, '*')) return false;
  return (
    listener.port === undefined ||
    service.ports === undefined ||
    service.ports.includes(listener.port)
  );
}

export interface SidecarVisibility {
  visible: boolean;
  /** The Sidecar that decides (undefined: the default scope, which sees everything). */
  sidecar?: PolicyResource;
}

/** Whether proxies of `clientNamespace` see the Kubernetes Service, per the Sidecars of their config cluster. */
export function sidecarVisibility(
  sidecars: readonly PolicyResource[],
  options: {
    rootNamespace: string;
    clientNamespace: string;
    service: { namespace: string; name: string; ports?: number[] };
    workloadLabels?: Record<string, string>;
    domainSuffix?: string;
  },
): SidecarVisibility {
  const sidecar = sidecarFor(
    sidecars,
    options.rootNamespace,
    options.clientNamespace,
    options.workloadLabels,
  );
  if (!sidecar) return { visible: true };
  const { namespace, name, ports } = options.service;
  const hostname = `${name}.${namespace}.svc.${
    options.domainSuffix ?? DEFAULT_DOMAIN_SUFFIX
  }`;
  const visible = egressOf(sidecar).some(l =>
    listenerImports(l, options.clientNamespace, { namespace, hostname, ports }),
  );
  return { visible, sidecar };
}

/** MESH055: the Sidecar in force for the client namespace does not import the Service. */
export function sidecarHidesFinding(
  cluster: string,
  clientNamespace: string,
  service: { namespace: string; name: string },
  sidecar: PolicyResource,
  /** Why it matters, when known (e.g. the namespace's own rules for the Service). */
  evidence?: string,
): FindingInput {
  const hosts = egressOf(sidecar).flatMap(l => l.hosts);
  const svc = `${service.namespace}/${service.name}`;
  return {
    code: 'MESH055',
    message: `Proxies in namespace ${clientNamespace} of ${cluster} do not see Service ${svc}: Sidecar ${
      sidecar.namespace
    }/${sidecar.name} imports only ${
      hosts.map(h => `"${h}"`).join(', ') || 'nothing'
    }. Their Envoy has no route or endpoints for it, in any cluster${
      evidence ? `, yet ${evidence}` : ''
    }.`,
    clusters: [cluster],
    resource: {
      kind: 'Sidecar',
      namespace: sidecar.namespace,
      name: sidecar.name,
    },
    idParts: [clientNamespace, svc],
    hint: `Import it in the Sidecar's egress hosts ("${service.namespace}/${service.name}.${service.namespace}.svc.${DEFAULT_DOMAIN_SUFFIX}" or "${service.namespace}/*"): kubectl -n ${sidecar.namespace} edit sidecar ${sidecar.name} --context=${cluster}`,
  };
}
