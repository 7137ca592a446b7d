// Legacy discovery documents (/api, /apis, /apis/<group>, /api/v1, /apis/<group>/<version>) computed from the
// types a cluster serves, so CRDs appear and disappear with their CRD objects. Clients that ask for aggregated
// discovery (kubectl >= 1.26) get these plain documents and fall back to per-group requests.
import type { JsonObject } from './json.ts';
import type { ResourceType } from './resources.ts';
import { compareVersions } from './resources.ts';

// Group order of a real API server: core groups first, then the rest alphabetically (CRD groups last).
const GROUP_ORDER = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

function groupVersions(types: ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const t of types) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? new Set<string>();
    t.versions.forEach(v => versions.add(v));
    groups.set(t.group, versions);
  }
  const ordered = [...groups.keys()].sort((a, b) => {
    const ia = GROUP_ORDER.indexOf(a);
    const ib = GROUP_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
    return a.localeCompare(b);
  });
  return new Map(
    ordered.map(g => [g, [...groups.get(g)!].sort(compareVersions)]),
  );
}

function apiGroup(name: string, versions: string[]): JsonObject {
  const list = versions.map(v => ({
    groupVersion: `${name}/${v}`,
    version: v,
  }));
  return { name, versions: list, preferredVersion: list[0] };
}

export function coreVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function groupList(types: ResourceType[]): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions(types)].map(([name, versions]) =>
      apiGroup(name, versions),
    ),
  };
}

export function group(
  types: ResourceType[],
  name: string,
): JsonObject | undefined {
  const versions = groupVersions(types).get(name);
  return versions
    ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name, versions) }
    : undefined;
}

export function resourceList(
  types: ResourceType[],
  groupName: string,
  version: string,
): JsonObject | undefined {
  const served = types.filter(
    t => t.group === groupName && t.versions.includes(version),
  );
  if (served.length === 0 && groupName !== '') return undefined;
  const resources: JsonObject[] = [];
  for (const t of served.sort((a, b) => a.plural.localeCompare(b.plural))) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
    });
    if (t.hasStatus) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (t.hasScale) {
      resources.push({
        name: `${t.plural}/scale`,
        singularName: '',
        namespaced: t.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    ...(groupName ? { apiVersion: 'v1' } : {}),
    groupVersion: groupName ? `${groupName}/${version}` : version,
    resources,
  };
}

export function versionInfo(): JsonObject {
  return {
    major: '1',
    minor: '30',
    gitVersion: 'v1.30.4-kube-sim',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-08-14T00:00:00Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
