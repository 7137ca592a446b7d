// Server-side tables (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which kubectl asks for to print
// `kubectl get`. Columns follow the API server's printers for common kinds and the CRD's printer columns.
// Cells never assume a shape: malformed objects print as empty cells.
import type { JsonObject } from './json.ts';
import { asObject, getPath, isObject, scalarString } from './json.ts';
import type { PrinterColumn, ResourceType } from './resources.ts';

interface Column {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  cell: (obj: JsonObject) => unknown;
}

/** Like `kubectl`'s ages: 45s, 5m10s, 3h, 5d, 2y30d (k8s.io/apimachinery duration.HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10)
    return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8)
    return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8)
    return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

const str = scalarString;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const age = (obj: JsonObject) => {
  const ts = getPath(obj, 'metadata.creationTimestamp');
  const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(Date.now() - t);
};

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: o => str(getPath(o, 'metadata.name')),
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: age,
};

function podReady(o: JsonObject): string {
  const containers = list(getPath(o, 'spec.containers')).length;
  const ready = list(getPath(o, 'status.containerStatuses')).filter(
    s => isObject(s) && s.ready === true,
  ).length;
  return `${ready}/${containers}`;
}

function podStatus(o: JsonObject): string {
  for (const s of list(getPath(o, 'status.containerStatuses'))) {
    const reason =
      getPath(s, 'state.waiting.reason') ??
      getPath(s, 'state.terminated.reason');
    if (typeof reason === 'string') return reason;
  }
  if (getPath(o, 'metadata.deletionTimestamp')) return 'Terminating';
  return str(getPath(o, 'status.phase')) || 'Unknown';
}

function serviceExternalIp(o: JsonObject): string {
  const ingress = list(getPath(o, 'status.loadBalancer.ingress'))
    .map(i => str(getPath(i, 'ip')) || str(getPath(i, 'hostname')))
    .filter(Boolean);
  const external = [
    ...ingress,
    ...list(getPath(o, 'spec.externalIPs')).map(str),
  ];
  if (external.length) return external.join(',');
  return getPath(o, 'spec.type') === 'LoadBalancer' ? '<pending>' : '<none>';
}

function servicePorts(o: JsonObject): string {
  const ports = list(getPath(o, 'spec.ports'))
    .filter(isObject)
    .map(
      p =>
        `${str(p.port)}${p.nodePort ? `:${str(p.nodePort)}` : ''}/${
          str(p.protocol) || 'TCP'
        }`,
    );
  return ports.length ? ports.join(',') : '<none>';
}

function nodeStatus(o: JsonObject): string {
  const ready = list(getPath(o, 'status.conditions')).find(
    c => isObject(c) && c.type === 'Ready',
  );
  let status = 'Unknown';
  if (isObject(ready)) status = ready.status === 'True' ? 'Ready' : 'NotReady';
  return getPath(o, 'spec.unschedulable') === true
    ? `${status},SchedulingDisabled`
    : status;
}

function nodeRoles(o: JsonObject): string {
  const roles = Object.keys(asObject(getPath(o, 'metadata.labels')))
    .filter(k => k.startsWith('node-role.kubernetes.io/'))
    .map(k => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

const col = (
  name: string,
  cell: (o: JsonObject) => unknown,
  type = 'string',
  priority = 0,
): Column => ({ name, type, cell, priority });

const BUILTIN_COLUMNS: Record<string, Column[]> = {
  Namespace: [NAME, col('Status', o => str(getPath(o, 'status.phase'))), AGE],
  Node: [
    NAME,
    col('Status', nodeStatus),
    col('Roles', nodeRoles),
    AGE,
    col('Version', o => str(getPath(o, 'status.nodeInfo.kubeletVersion'))),
    col(
      'Internal-IP',
      o =>
        str(
          getPath(
            list(getPath(o, 'status.addresses')).find(
              a => getPath(a, 'type') === 'InternalIP',
            ),
            'address',
          ),
        ) || '<none>',
      'string',
      1,
    ),
  ],
  Pod: [
    NAME,
    col('Ready', podReady),
    col('Status', podStatus),
    col(
      'Restarts',
      o =>
        list(getPath(o, 'status.containerStatuses')).reduce<number>(
          (n, s) => n + num(getPath(s, 'restartCount')),
          0,
        ),
      'integer',
    ),
    AGE,
    col('IP', o => str(getPath(o, 'status.podIP')) || '<none>', 'string', 1),
    col('Node', o => str(getPath(o, 'spec.nodeName')) || '<none>', 'string', 1),
  ],
  Service: [
    NAME,
    col('Type', o => str(getPath(o, 'spec.type')) || 'ClusterIP'),
    col('Cluster-IP', o => str(getPath(o, 'spec.clusterIP')) || '<none>'),
    col('External-IP', serviceExternalIp),
    col('Port(s)', servicePorts),
    AGE,
    col(
      'Selector',
      o =>
        Object.entries(asObject(getPath(o, 'spec.selector')))
          .map(([k, v]) => `${k}=${str(v)}`)
          .join(',') || '<none>',
      'string',
      1,
    ),
  ],
  Deployment: [
    NAME,
    col(
      'Ready',
      o =>
        `${num(getPath(o, 'status.readyReplicas'))}/${num(
          getPath(o, 'spec.replicas'),
        )}`,
    ),
    col(
      'Up-to-date',
      o => num(getPath(o, 'status.updatedReplicas')),
      'integer',
    ),
    col(
      'Available',
      o => num(getPath(o, 'status.availableReplicas')),
      'integer',
    ),
    AGE,
    col(
      'Images',
      o =>
        list(getPath(o, 'spec.template.spec.containers'))
          .map(c => str(getPath(c, 'image')))
          .join(','),
      'string',
      1,
    ),
  ],
  ReplicaSet: [
    NAME,
    col('Desired', o => num(getPath(o, 'spec.replicas')), 'integer'),
    col('Current', o => num(getPath(o, 'status.replicas')), 'integer'),
    col('Ready', o => num(getPath(o, 'status.readyReplicas')), 'integer'),
    AGE,
  ],
  StatefulSet: [
    NAME,
    col(
      'Ready',
      o =>
        `${num(getPath(o, 'status.readyReplicas'))}/${num(
          getPath(o, 'spec.replicas'),
        )}`,
    ),
    AGE,
  ],
  DaemonSet: [
    NAME,
    col(
      'Desired',
      o => num(getPath(o, 'status.desiredNumberScheduled')),
      'integer',
    ),
    col(
      'Current',
      o => num(getPath(o, 'status.currentNumberScheduled')),
      'integer',
    ),
    col('Ready', o => num(getPath(o, 'status.numberReady')), 'integer'),
    AGE,
  ],
  ConfigMap: [
    NAME,
    col(
      'Data',
      o =>
        Object.keys(asObject(o.data)).length +
        Object.keys(asObject(o.binaryData)).length,
      'integer',
    ),
    AGE,
  ],
  Secret: [
    NAME,
    col('Type', o => str(o.type)),
    col('Data', o => Object.keys(asObject(o.data)).length, 'integer'),
    AGE,
  ],
  EndpointSlice: [
    NAME,
    col('AddressType', o => str(o.addressType)),
    col(
      'Ports',
      o =>
        list(o.ports)
          .map(p => str(getPath(p, 'port')))
          .join(',') || '<unset>',
    ),
    col(
      'Endpoints',
      o =>
        list(o.endpoints)
          .flatMap(e => list(getPath(e, 'addresses')).map(str))
          .slice(0, 3)
          .join(',') || '<unset>',
    ),
    AGE,
  ],
  CustomResourceDefinition: [
    NAME,
    col(
      'Created At',
      o => str(getPath(o, 'metadata.creationTimestamp')),
      'date',
    ),
  ],
};

/** Evaluates the simple JSONPath of CRD printer columns (`.status.phase`, `.spec.hosts`, `.spec.ports[0].port`). */
function evalJsonPath(obj: JsonObject, path: string): unknown {
  const parts = path
    .replace(/^\{?\./, '')
    .replace(/\}$/, '')
    .split('.');
  let current: unknown = obj;
  for (const part of parts) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) current = isObject(current) ? current[m[1]] : undefined;
    for (const idx of m[2].match(/\d+/g) ?? [])
      current = Array.isArray(current) ? current[Number(idx)] : undefined;
  }
  return current;
}

function crdColumns(columns: PrinterColumn[]): Column[] {
  return [
    NAME,
    ...columns.map(c => ({
      name: c.name,
      type: c.type,
      description: c.description,
      priority: c.priority ?? 0,
      cell: (o: JsonObject) => {
        const v = evalJsonPath(o, c.jsonPath);
        if (c.type === 'date') {
          const t = typeof v === 'string' ? Date.parse(v) : NaN;
          return Number.isNaN(t) ? '<unknown>' : humanDuration(Date.now() - t);
        }
        if (v === undefined || v === null) return null;
        return typeof v === 'object' ? JSON.stringify(v) : v;
      },
    })),
  ];
}

function columnsFor(type: ResourceType): Column[] {
  if (type.custom)
    return type.printerColumns?.length
      ? crdColumns(type.printerColumns)
      : [NAME, AGE];
  return BUILTIN_COLUMNS[type.kind] ?? [NAME, AGE];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable(
  type: ResourceType,
  objects: JsonObject[],
  listMeta: JsonObject,
  includeObject: IncludeObject,
): JsonObject {
  const columns = columnsFor(type);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns.map(c => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map(o => ({
      cells: columns.map(c => c.cell(o)),
      ...(includeObject === 'None'
        ? {}
        : {
            object:
              includeObject === 'Object'
                ? o
                : {
                    kind: 'PartialObjectMetadata',
                    apiVersion: 'meta.k8s.io/v1',
                    metadata: o.metadata,
                  },
          }),
    })),
  };
}
