// Live changes to a running cluster (POST /_sim/change, `kube-sim change`): the edits a test or a demo makes to
// break and heal a mesh while the app watches it. Each goes through the store like an API write, so watches see it
// as a MODIFIED/ADDED/DELETED event with a new resourceVersion, and lists show it at once.
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from './json.ts';
import { asObject, asString, isObject } from './json.ts';
import type { ResourceType } from './resources.ts';
import { errors } from './status.ts';
import type { ClusterStore, StoredObject } from './store.ts';

/** The network label of east-west gateway Services (what the collectors recognise them by). */
const NETWORK_LABEL = 'topology.istio.io/network';

export interface Change {
  op: ChangeOp;
  args: string[];
  /** For `apply`: the objects to create or replace. */
  objects?: unknown[];
}

export const CHANGE_OPS = [
  'gateway-address',
  'scale',
  'delete',
  'apply',
  'endpoints-flip',
] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export interface ChangeResult {
  op: ChangeOp;
  changed: Array<{
    kind: string;
    namespace?: string;
    name: string;
    /** The object's resourceVersion after the change (of the DELETED event for a deletion). */
    resourceVersion: string;
    action: 'created' | 'updated' | 'deleted';
  }>;
}

/** What each operation takes, for the CLI's usage text and error messages. */
export const CHANGE_USAGE: Record<ChangeOp, string> = {
  'gateway-address':
    'gateway-address ADDRESS|none [NAMESPACE/SERVICE]   the east-west gateway Service gets this LoadBalancer IP or hostname (none: pending)',
  scale:
    'scale NAMESPACE/DEPLOYMENT REPLICAS   spec.replicas and the ready counts set to REPLICAS (a finished rollout)',
  delete:
    'delete RESOURCE NAMESPACE/NAME | NAME   e.g. delete secret istio-system/istio-remote-secret-cluster2',
  apply:
    'apply FILE   create or replace the objects of a YAML/JSON file, status included',
  'endpoints-flip':
    'endpoints-flip COUNT   flips the ready condition of COUNT endpoints, round-robin over the EndpointSlices',
};

/** Checks the body of POST /_sim/change. */
export function parseChange(value: unknown): Change {
  if (!isObject(value)) throw new Error('the change must be a JSON object');
  const op = value.op;
  if (typeof op !== 'string' || !(CHANGE_OPS as readonly string[]).includes(op))
    throw new Error(
      `unknown change "${String(op)}" (known: ${CHANGE_OPS.join(', ')})`,
    );
  const args = value.args ?? [];
  if (!Array.isArray(args) || args.some(a => typeof a !== 'string'))
    throw new Error('args must be a list of strings');
  if (value.objects !== undefined && !Array.isArray(value.objects))
    throw new Error('objects must be a list');
  return {
    op: op as ChangeOp,
    args: args as string[],
    ...(value.objects ? { objects: value.objects as unknown[] } : {}),
  };
}

/** Reads the objects of a YAML or JSON file (multi-document YAML, a JSON object, array or List). */
export function objectsOfFile(text: string): unknown[] {
  const docs = parseAllDocuments(text).map(d => d.toJS());
  return docs.flatMap(doc => {
    if (Array.isArray(doc)) return doc;
    if (isObject(doc) && Array.isArray(doc.items) && !doc.metadata)
      return doc.items;
    return doc === null || doc === undefined ? [] : [doc];
  });
}

export function applyChange(store: ClusterStore, change: Change): ChangeResult {
  const usage = () => errors.badRequest(`usage: ${CHANGE_USAGE[change.op]}`);
  const [a, b] = change.args;
  switch (change.op) {
    case 'gateway-address':
      if (!a) throw usage();
      return {
        op: change.op,
        changed: [gatewayAddress(store, a, b)],
      };
    case 'scale': {
      const replicas = Number(b);
      if (!a?.includes('/') || !Number.isInteger(replicas) || replicas < 0)
        throw usage();
      return { op: change.op, changed: [scale(store, a, replicas)] };
    }
    case 'delete':
      if (!a || !b) throw usage();
      return { op: change.op, changed: [remove(store, a, b)] };
    case 'apply':
      if (!change.objects?.length) throw usage();
      return {
        op: change.op,
        changed: change.objects.map(o => apply(store, o)),
      };
    case 'endpoints-flip': {
      const count = Number(a);
      if (!Number.isInteger(count) || count < 1) throw usage();
      return { op: change.op, changed: flipEndpoints(store, count) };
    }
    default:
      throw usage();
  }
}

function typeByName(store: ClusterStore, name: string): ResourceType {
  const lower = name.toLowerCase();
  const found = store
    .types()
    .find(
      t =>
        !t.virtual &&
        [
          t.plural,
          t.singular,
          t.kind.toLowerCase(),
          `${t.plural}.${t.group}`,
          ...(t.shortNames ?? []),
        ].includes(lower),
    );
  if (!found)
    throw errors.badRequest(`the cluster serves no resource named ${name}`);
  return found;
}

function splitName(
  type: ResourceType,
  ref: string,
): { namespace: string; name: string } {
  if (!type.namespaced) return { namespace: '', name: ref };
  const i = ref.indexOf('/');
  if (i <= 0)
    throw errors.badRequest(
      `${type.kind} is namespaced: name it as NAMESPACE/NAME`,
    );
  return { namespace: ref.slice(0, i), name: ref.slice(i + 1) };
}

function entry(
  type: ResourceType,
  so: StoredObject,
  action: ChangeResult['changed'][number]['action'],
): ChangeResult['changed'][number] {
  return {
    kind: type.kind,
    ...(type.namespaced ? { namespace: so.namespace } : {}),
    name: so.name,
    resourceVersion: String(so.rv),
    action,
  };
}

/** Replaces the stored object (or, with `status`, its status) by `next`. */
function write(
  store: ClusterStore,
  type: ResourceType,
  so: StoredObject,
  next: JsonObject,
  status: boolean,
): StoredObject {
  return store.update(type, type.versions[0], so.namespace, so.name, next, {
    ...(status && type.hasStatus ? { subresource: 'status' } : {}),
  });
}

function gatewayAddress(
  store: ClusterStore,
  address: string,
  ref?: string,
): ChangeResult['changed'][number] {
  const type = typeByName(store, 'services');
  let target: StoredObject | undefined;
  if (ref) {
    const { namespace, name } = splitName(type, ref);
    target = store.get(type, namespace, name);
  } else {
    target = store.list(type, {}).items.find(so => NETWORK_LABEL in so.labels);
    if (!target)
      throw errors.badRequest(
        `no Service labelled ${NETWORK_LABEL} (an east-west gateway) in this cluster`,
      );
  }
  const obj = store.decode(type, type.versions[0], target);
  const ingress =
    address === 'none'
      ? []
      : [/^[\d.]+$|:/.test(address) ? { ip: address } : { hostname: address }];
  const next = {
    ...obj,
    status: {
      ...asObject(obj.status),
      loadBalancer: ingress.length ? { ingress } : {},
    },
  };
  return entry(type, write(store, type, target, next, true), 'updated');
}

function scale(
  store: ClusterStore,
  ref: string,
  replicas: number,
): ChangeResult['changed'][number] {
  const type = typeByName(store, 'deployments');
  const { namespace, name } = splitName(type, ref);
  const so = store.get(type, namespace, name);
  const obj = store.decode(type, type.versions[0], so);
  const withSpec = write(
    store,
    type,
    so,
    { ...obj, spec: { ...asObject(obj.spec), replicas } },
    false,
  );
  // No controller runs: the status a finished rollout would report.
  const scaled = store.decode(type, type.versions[0], withSpec);
  const status = {
    ...asObject(scaled.status),
    replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    updatedReplicas: replicas,
  };
  return entry(
    type,
    write(store, type, withSpec, { ...scaled, status }, true),
    'updated',
  );
}

function remove(
  store: ClusterStore,
  resource: string,
  ref: string,
): ChangeResult['changed'][number] {
  const type = typeByName(store, resource);
  const { namespace, name } = splitName(type, ref);
  const { deleted } = store.delete(type, namespace, name, {});
  return entry(type, deleted, 'deleted');
}

function apply(
  store: ClusterStore,
  value: unknown,
): ChangeResult['changed'][number] {
  if (!isObject(value))
    throw errors.badRequest('every object to apply must be a JSON object');
  const type = store.typeOf(value);
  if (!type)
    throw errors.badRequest(
      `the cluster serves no ${asString(value.kind)} of ${asString(
        value.apiVersion,
      )}`,
    );
  const meta = asObject(value.metadata);
  const name = asString(meta.name) ?? '';
  const namespace = type.namespaced
    ? asString(meta.namespace) ?? 'default'
    : '';
  const version = String(value.apiVersion).split('/').pop()!;
  const { resourceVersion: _rv, ...cleanMeta } = meta;
  const body = { ...value, metadata: cleanMeta };
  const existing = store.find(type, namespace, name);
  let so = existing
    ? store.update(type, version, namespace, name, body)
    : store.create(type, version, namespace, body);
  // The main resource keeps the stored status: write the given one through the status subresource.
  if (type.hasStatus && value.status !== undefined)
    so = store.update(type, version, namespace, name, body, {
      subresource: 'status',
    });
  return entry(type, so, existing ? 'updated' : 'created');
}

/** Per store: its EndpointSlices with endpoints (found once: flips do not change the counts) and the cursor. */
const flipState = new WeakMap<
  ClusterStore,
  {
    slices: Array<{ namespace: string; name: string; endpoints: number }>;
    total: number;
    cursor: number;
  }
>();

function sliceCounts(store: ClusterStore, type: ResourceType) {
  const slices = store.list(type, {}).items.flatMap(so => {
    const endpoints = (JSON.parse(so.body) as JsonObject).endpoints;
    return Array.isArray(endpoints) && endpoints.length
      ? [
          {
            namespace: so.namespace,
            name: so.name,
            endpoints: endpoints.length,
          },
        ]
      : [];
  });
  return {
    slices,
    total: slices.reduce((n, s) => n + s.endpoints, 0),
    cursor: flipState.get(store)?.cursor ?? 0,
  };
}

function flipEndpoints(
  store: ClusterStore,
  count: number,
): ChangeResult['changed'] {
  const type = typeByName(store, 'endpointslices');
  let state = flipState.get(store) ?? sliceCounts(store, type);
  const changed: ChangeResult['changed'] = [];
  for (let i = 0; i < count; i++) {
    if (state.total === 0)
      throw errors.badRequest('no endpoints in this cluster');
    let position = state.cursor % state.total;
    state.cursor++;
    const slice = state.slices.find(s => {
      if (position < s.endpoints) return true;
      position -= s.endpoints;
      return false;
    })!;
    const current = store.find(type, slice.namespace, slice.name);
    const obj = current && store.decode(type, type.versions[0], current);
    const endpoints = obj?.endpoints;
    if (
      !current ||
      !Array.isArray(endpoints) ||
      endpoints.length !== slice.endpoints
    ) {
      // Slices changed since they were counted: count again and retry this flip.
      state = sliceCounts(store, type);
      i--;
      continue;
    }
    const flipped = (endpoints as JsonObject[]).map((ep, j) => {
      if (j !== position) return ep;
      const conditions = asObject(ep.conditions);
      return {
        ...ep,
        conditions: { ...conditions, ready: conditions.ready === false },
      };
    });
    changed.push(
      entry(
        type,
        write(store, type, current, { ...obj, endpoints: flipped }, false),
        'updated',
      ),
    );
  }
  flipState.set(store, state);
  return changed;
}
