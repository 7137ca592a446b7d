// Resource types served by a cluster: the built-in kinds, and those that CRD objects of the cluster define.
import type { JsonObject } from './json.ts';
import { asObject, asString, isObject } from './json.ts';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  /** Served versions, the preferred (storage) version first. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Has a `/status` subresource: writes to the main resource keep the stored status. */
  hasStatus: boolean;
  /** Has a `/scale` subresource (autoscaling/v1 Scale over spec.replicas). */
  hasScale?: boolean;
  /** CRD-backed: no strategic merge patch, delete answers with the object. */
  custom: boolean;
  printerColumns?: PrinterColumn[];
  /** Field selector labels besides metadata.name/namespace, evaluated as dotted paths. */
  selectableFields?: string[];
  verbs: string[];
  /** Names must be DNS-1123 labels (namespaces, services) rather than subdomains. */
  labelName?: boolean;
  /** Served by the server itself and never stored (SelfSubjectAccessReview). */
  virtual?: boolean;
}

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** `pods`, `deployments.apps`: the name used by RBAC messages, request stats and `forbidden` faults. */
export function groupResource(t: { group: string; plural: string }): string {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

interface BuiltinSpec {
  gv: string;
  kind: string;
  plural?: string;
  cluster?: boolean;
  short?: string[];
  all?: boolean;
  status?: boolean;
  fields?: string[];
  labelName?: boolean;
  verbs?: string[];
  virtual?: boolean;
  extraVersions?: string[];
  scale?: boolean;
}

const BUILTIN_SPECS: BuiltinSpec[] = [
  {
    gv: 'v1',
    kind: 'Namespace',
    cluster: true,
    short: ['ns'],
    status: true,
    fields: ['status.phase'],
    labelName: true,
  },
  {
    gv: 'v1',
    kind: 'Node',
    cluster: true,
    short: ['no'],
    status: true,
    fields: ['spec.unschedulable'],
  },
  {
    gv: 'v1',
    kind: 'Pod',
    short: ['po'],
    all: true,
    status: true,
    fields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  },
  {
    gv: 'v1',
    kind: 'Service',
    short: ['svc'],
    all: true,
    status: true,
    labelName: true,
    fields: ['spec.type', 'spec.clusterIP'],
  },
  { gv: 'v1', kind: 'Endpoints', plural: 'endpoints', short: ['ep'] },
  { gv: 'v1', kind: 'ConfigMap', short: ['cm'] },
  { gv: 'v1', kind: 'Secret', fields: ['type'] },
  { gv: 'v1', kind: 'ServiceAccount', short: ['sa'] },
  {
    gv: 'v1',
    kind: 'Event',
    short: ['ev'],
    fields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  },
  { gv: 'v1', kind: 'LimitRange', short: ['limits'] },
  { gv: 'v1', kind: 'ResourceQuota', short: ['quota'], status: true },
  { gv: 'v1', kind: 'PersistentVolumeClaim', short: ['pvc'], status: true },
  {
    gv: 'v1',
    kind: 'PersistentVolume',
    short: ['pv'],
    cluster: true,
    status: true,
  },
  {
    gv: 'apps/v1',
    kind: 'Deployment',
    short: ['deploy'],
    all: true,
    status: true,
    scale: true,
  },
  {
    gv: 'apps/v1',
    kind: 'StatefulSet',
    short: ['sts'],
    all: true,
    status: true,
    scale: true,
  },
  { gv: 'apps/v1', kind: 'DaemonSet', short: ['ds'], all: true, status: true },
  {
    gv: 'apps/v1',
    kind: 'ReplicaSet',
    short: ['rs'],
    all: true,
    status: true,
    scale: true,
    fields: ['status.replicas'],
  },
  {
    gv: 'batch/v1',
    kind: 'Job',
    all: true,
    status: true,
    fields: ['status.successful'],
  },
  { gv: 'batch/v1', kind: 'CronJob', short: ['cj'], all: true, status: true },
  {
    gv: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    short: ['hpa'],
    all: true,
    status: true,
    extraVersions: ['v1'],
  },
  { gv: 'discovery.k8s.io/v1', kind: 'EndpointSlice', fields: ['addressType'] },
  { gv: 'networking.k8s.io/v1', kind: 'Ingress', short: ['ing'], status: true },
  { gv: 'networking.k8s.io/v1', kind: 'NetworkPolicy', short: ['netpol'] },
  {
    gv: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    cluster: true,
    short: ['crd', 'crds'],
    status: true,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    cluster: true,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    cluster: true,
  },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', cluster: true },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    cluster: true,
  },
  { gv: 'coordination.k8s.io/v1', kind: 'Lease' },
  {
    gv: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    cluster: true,
    verbs: ['create'],
    virtual: true,
  },
];

function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

export const BUILTIN_TYPES: ResourceType[] = BUILTIN_SPECS.map(s => {
  const [group, version] = s.gv.includes('/') ? s.gv.split('/') : ['', s.gv];
  return {
    group,
    versions: [version, ...(s.extraVersions ?? [])],
    plural: s.plural ?? pluralOf(s.kind),
    singular: s.kind.toLowerCase(),
    kind: s.kind,
    listKind: `${s.kind}List`,
    namespaced: !s.cluster,
    shortNames: s.short,
    categories: s.all ? ['all'] : undefined,
    hasStatus: !!s.status,
    hasScale: s.scale,
    custom: false,
    selectableFields: s.fields,
    verbs: s.verbs ?? ALL_VERBS,
    labelName: s.labelName,
    virtual: s.virtual,
  };
});

/**
 * The resource type a CRD object defines, or an error message when the CRD cannot be served
 * (the message is what the API server's validation would say).
 */
export function typeFromCrd(crd: unknown): ResourceType | string {
  const spec = asObject(asObject(crd).spec);
  const names = asObject(spec.names);
  const group = asString(spec.group);
  const plural = asString(names.plural);
  const kind = asString(names.kind);
  const name = asString(asObject(asObject(crd).metadata).name);
  if (!group || !plural || !kind)
    return 'spec.group, spec.names.plural and spec.names.kind are required';
  if (name !== `${plural}.${group}`)
    return `metadata.name must be spec.names.plural+"."+spec.group`;
  const versions = (Array.isArray(spec.versions) ? spec.versions : []).filter(
    isObject,
  );
  const served = versions.filter(
    v => v.served !== false && typeof v.name === 'string',
  );
  if (served.length === 0)
    return 'spec.versions must have at least one served version';
  const storage = served.find(v => v.storage === true) ?? served[0];
  // Discovery prefers the highest version by Kubernetes version priority (v1 > v1beta1 > v1alpha3), not storage.
  const ordered = [...served].sort((a, b) =>
    compareVersions(a.name as string, b.name as string),
  );
  const columns = (
    Array.isArray(storage.additionalPrinterColumns)
      ? storage.additionalPrinterColumns
      : []
  )
    .filter(isObject)
    .filter(c => typeof c.name === 'string' && typeof c.jsonPath === 'string')
    .map(c => ({
      name: c.name as string,
      type: asString(c.type) ?? 'string',
      jsonPath: c.jsonPath as string,
      description: asString(c.description),
      priority: typeof c.priority === 'number' ? c.priority : 0,
    }));
  const selectable = (
    Array.isArray(storage.selectableFields) ? storage.selectableFields : []
  )
    .filter(isObject)
    .map(f => asString(f.jsonPath)?.replace(/^\./, ''))
    .filter((f): f is string => !!f);
  return {
    group,
    versions: ordered.map(v => v.name as string),
    plural,
    singular: asString(names.singular) ?? kind.toLowerCase(),
    kind,
    listKind: asString(names.listKind) ?? `${kind}List`,
    namespaced: spec.scope !== 'Cluster',
    shortNames: stringList(names.shortNames),
    categories: stringList(names.categories),
    hasStatus: isObject(asObject(storage.subresources).status),
    custom: true,
    printerColumns: columns,
    selectableFields: selectable,
    verbs: ALL_VERBS,
  };
}

function versionRank(version: string): [number, number, number] | undefined {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return undefined;
  const stability = { alpha: 0, beta: 1 }[m[2] ?? ''] ?? 2;
  return [stability, Number(m[1]), m[3] ? Number(m[3]) : 0];
}

/** Sort order of Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const ra = versionRank(a);
  const rb = versionRank(b);
  if (!ra && !rb) return a.localeCompare(b);
  if (!ra || !rb) return ra ? -1 : 1;
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
  return 0;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = value.filter((v): v is string => typeof v === 'string');
  return list.length ? list : undefined;
}

/** Fills in the status a real API server gives an accepted CRD, unless the manifest brings its own. */
export function withCrdStatus(crd: JsonObject, type: ResourceType): JsonObject {
  if (isObject(crd.status) && Array.isArray(crd.status.conditions)) return crd;
  const now = new Date().toISOString();
  return {
    ...crd,
    status: {
      acceptedNames: {
        kind: type.kind,
        listKind: type.listKind,
        plural: type.plural,
        singular: type.singular,
        ...(type.shortNames ? { shortNames: type.shortNames } : {}),
        ...(type.categories ? { categories: type.categories } : {}),
      },
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          lastTransitionTime: now,
          reason: 'NoConflicts',
          message: 'no conflicts found',
        },
        {
          type: 'Established',
          status: 'True',
          lastTransitionTime: now,
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
      ],
      storedVersions: [type.versions[0]],
    },
  };
}
