// One cluster's objects and resource versions: the types it serves (built-in and from CRDs), reads, lists with
// paging, and writes with the API server's checks. How an object is kept is storedObject.ts, list paging
// paging.ts, change events and watches watchLog.ts.
import { createHash, randomUUID } from 'node:crypto';
import type { JsonObject } from './json.ts';
import { asObject, asString, clone, deepEqual, isObject } from './json.ts';
import type { ResourceType } from './resources.ts';
import {
  apiVersionOf,
  BUILTIN_TYPES,
  groupResource,
  typeFromCrd,
  withCrdStatus,
} from './resources.ts';
import type { FieldRequirement } from './selectors.ts';
import { errors } from './status.ts';
import { assertValid } from './validation.ts';
import type { Filter, StoredObject } from './storedObject.ts';
import {
  encodeObject,
  foldStringData,
  matchesFilter,
  serializeObject,
  withoutMetaStatus,
} from './storedObject.ts';
import { decodeContinue, encodeContinue, lowerBound } from './paging.ts';
import { type StoreEvent, type WatchEvent, WatchLog } from './watchLog.ts';

export type { Filter, StoredObject } from './storedObject.ts';
export type { EventType, WatchEvent } from './watchLog.ts';

interface TypeState {
  type: ResourceType;
  objects: Map<string, StoredObject>;
  sortedKeys?: string[];
}

export interface ListResult {
  items: StoredObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  subresource?: string;
}

const CRD_KEY = 'customresourcedefinitions.apiextensions.k8s.io';
/** 2024-01-01T00:00:00Z: resource versions count from here, 10,000 per millisecond (see initialResourceVersion). */
const RV_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * The first resource version of a store: taken from the clock, so that a simulator restarted from its scenario
 * (which forgets every change made since) starts above any resource version the previous one handed out. A client
 * that resumes a watch from one of those gets 410 Gone and lists again, as it would from an API server whose etcd
 * was restored; without it, the watch would be accepted and the changes lost with the old process would never
 * show up. 10,000 per millisecond leaves room for the biggest scenarios and stays below 2^53 until 2049.
 */
export function initialResourceVersion(now = Date.now()): number {
  return Math.max(0, now - RV_EPOCH_MS) * 10_000;
}
const RETURNS_DELETED_OBJECT = new Set(['pods', 'namespaces']);

export class ClusterStore {
  readonly cluster: string;
  private rv = initialResourceVersion();
  private readonly states = new Map<string, TypeState>();
  private readonly byKind = new Map<string, TypeState>();
  private readonly log = new WatchLog();
  /** While a scenario loads there is nobody to tell about changes: no events are kept. */
  private loading = true;

  constructor(cluster: string) {
    this.cluster = cluster;
    for (const type of BUILTIN_TYPES) this.register(type);
  }

  // ---- resource types -------------------------------------------------------------------------------------

  private register(type: ResourceType): void {
    const key = groupResource(type);
    const existing = this.states.get(key);
    const state: TypeState = { type, objects: existing?.objects ?? new Map() };
    this.states.set(key, state);
    this.byKind.set(`${type.group}/${type.kind}`, state);
  }

  private unregister(key: string): void {
    const state = this.states.get(key);
    if (!state || !state.type.custom) return;
    for (const so of [...state.objects.values()]) this.remove(state, so);
    this.states.delete(key);
    this.byKind.delete(`${state.type.group}/${state.type.kind}`);
  }

  types(): ResourceType[] {
    return [...this.states.values()].map(s => s.type);
  }

  /** The type served at `group/version/plural`, if any. */
  resolve(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    const type = this.states.get(group ? `${plural}.${group}` : plural)?.type;
    return type && type.versions.includes(version) ? type : undefined;
  }

  private state(type: ResourceType): TypeState {
    const state = this.states.get(groupResource(type));
    if (!state) throw errors.pathNotFound();
    return state;
  }

  // ---- encoding ------------------------------------------------------------------------------------------

  /** The stored object as JSON text at the given version. */
  serialize(type: ResourceType, version: string, so: StoredObject): string {
    return serializeObject(type, version, so);
  }

  decode(type: ResourceType, version: string, so: StoredObject): JsonObject {
    return JSON.parse(serializeObject(type, version, so));
  }

  currentResourceVersion(): string {
    return String(this.rv);
  }

  // ---- reading -------------------------------------------------------------------------------------------

  get(type: ResourceType, namespace: string, name: string): StoredObject {
    const so = this.state(type).objects.get(
      type.namespaced ? `${namespace}/${name}` : name,
    );
    if (!so) throw errors.notFound(type, name);
    return so;
  }

  find(
    type: ResourceType,
    namespace: string,
    name: string,
  ): StoredObject | undefined {
    return this.state(type).objects.get(
      type.namespaced ? `${namespace}/${name}` : name,
    );
  }

  private sortedKeys(state: TypeState): string[] {
    if (!state.sortedKeys) state.sortedKeys = [...state.objects.keys()].sort();
    return state.sortedKeys;
  }

  /** Throws 400 for field selector labels the type does not support, as the API server does. */
  checkFieldSelector(type: ResourceType, fields: FieldRequirement[]): void {
    for (const f of fields) {
      if (
        f.field !== 'metadata.name' &&
        f.field !== 'metadata.namespace' &&
        !type.selectableFields?.includes(f.field)
      ) {
        throw errors.badRequest(`field label not supported: ${f.field}`);
      }
    }
  }

  list(
    type: ResourceType,
    filter: Filter,
    limit?: number,
    continueToken?: string,
  ): ListResult {
    const state = this.state(type);
    let keys = this.sortedKeys(state);
    if (filter.namespace) {
      // keys are `ns/name`, sorted: the namespace is one contiguous run
      const prefix = `${filter.namespace}/`;
      const from = lowerBound(keys, prefix);
      let to = from;
      while (to < keys.length && keys[to].startsWith(prefix)) to++;
      keys = keys.slice(from, to);
    }
    if (continueToken) {
      const start = decodeContinue(continueToken);
      keys = keys.slice(lowerBound(keys, `${start}\u0000`));
    }
    const items: StoredObject[] = [];
    let i = 0;
    for (; i < keys.length; i++) {
      if (limit && items.length >= limit) break;
      const so = state.objects.get(keys[i])!;
      if (matchesFilter(so, filter)) items.push(so);
    }
    const result: ListResult = { items, resourceVersion: String(this.rv) };
    if (limit && i < keys.length && items.length > 0) {
      result.continue = encodeContinue(this.rv, items[items.length - 1].key);
      if (!filter.labels && !filter.fields?.length)
        result.remainingItemCount = keys.length - i;
    }
    return result;
  }

  // ---- writing -------------------------------------------------------------------------------------------

  private put(
    state: TypeState,
    obj: JsonObject,
    previous?: StoredObject,
    dryRun?: boolean,
  ): StoredObject {
    const rv = dryRun ? this.rv : this.rv + 1;
    const so = encodeObject(
      state.type,
      state.type.kind === 'Secret' ? foldStringData(obj) : obj,
      rv,
    );
    if (dryRun) return so;
    this.rv = rv;
    if (!state.objects.has(so.key)) state.sortedKeys = undefined;
    state.objects.set(so.key, so);
    if (groupResource(state.type) === CRD_KEY) this.onCrd(obj);
    this.emit({
      rv,
      type: previous ? 'MODIFIED' : 'ADDED',
      typeKey: groupResource(state.type),
      object: so,
      previous,
    });
    return so;
  }

  private remove(state: TypeState, so: StoredObject): StoredObject {
    this.rv++;
    state.objects.delete(so.key);
    state.sortedKeys = undefined;
    const obj = JSON.parse(so.body);
    const deleted = encodeObject(state.type, obj, this.rv);
    this.emit({
      rv: this.rv,
      type: 'DELETED',
      typeKey: groupResource(state.type),
      object: deleted,
      previous: so,
    });
    if (groupResource(state.type) === CRD_KEY) {
      const type = typeFromCrd(obj);
      if (typeof type !== 'string') this.unregister(groupResource(type));
    }
    return deleted;
  }

  private onCrd(crd: JsonObject): void {
    const type = typeFromCrd(crd);
    if (typeof type !== 'string') this.register(type);
  }

  private crdCheck(obj: JsonObject): ResourceType | undefined {
    if (asString(obj.kind) !== 'CustomResourceDefinition') return undefined;
    const type = typeFromCrd(obj);
    const name = String(asObject(obj.metadata).name ?? '');
    if (typeof type === 'string') {
      throw errors.invalid(
        'CustomResourceDefinition',
        'apiextensions.k8s.io',
        name,
        [{ reason: 'FieldValueInvalid', field: 'spec', message: type }],
      );
    }
    const existing = this.states.get(groupResource(type));
    if (existing && !existing.type.custom) {
      throw errors.invalid(
        'CustomResourceDefinition',
        'apiextensions.k8s.io',
        name,
        [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.group',
            message: `${groupResource(type)} is a built-in resource`,
          },
        ],
      );
    }
    return type;
  }

  private uidFor(type: ResourceType, namespace: string, name: string): string {
    const h = createHash('sha1')
      .update(`${this.cluster}/${groupResource(type)}/${namespace}/${name}`)
      .digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(
      17,
      20,
    )}-${h.slice(20, 32)}`;
  }

  /** Type of a manifest object by its apiVersion and kind, if this cluster serves it. */
  typeOf(obj: JsonObject): ResourceType | undefined {
    const apiVersion = asString(obj.apiVersion) ?? '';
    const [group, version] = apiVersion.includes('/')
      ? apiVersion.split('/')
      : ['', apiVersion];
    const type = this.byKind.get(`${group}/${asString(obj.kind)}`)?.type;
    return type && type.versions.includes(version) && !type.virtual
      ? type
      : undefined;
  }

  /**
   * Adds a scenario object as-is (no validation: malformed objects are served as written); only defaults
   * metadata a real cluster always sets. Returns false when no served type matches its apiVersion/kind.
   */
  load(obj: JsonObject, loadedAt: string): boolean {
    const type = this.typeOf(obj);
    if (!type) return false;
    const meta = { ...asObject(obj.metadata) };
    const name = String(meta.name);
    if (type.namespaced) meta.namespace = asString(meta.namespace) ?? 'default';
    else delete meta.namespace;
    meta.uid ??= this.uidFor(type, String(meta.namespace ?? ''), name);
    meta.creationTimestamp ??= loadedAt;
    if (type.kind === 'Namespace') {
      meta.labels = {
        'kubernetes.io/metadata.name': name,
        ...asObject(meta.labels),
      };
    }
    let full: JsonObject = { ...obj, metadata: meta };
    if (type.kind === 'CustomResourceDefinition') {
      const crdType = typeFromCrd(full);
      if (typeof crdType === 'string') return false;
      full = withCrdStatus(full, crdType);
    }
    const state = this.state(type);
    const key = type.namespaced ? `${meta.namespace}/${name}` : name;
    const previous = state.objects.get(key);
    this.put(state, full, previous);
    return true;
  }

  /** After loading a scenario: nothing before this point can be replayed to a watch. */
  markLoaded(): void {
    this.loading = false;
    this.log.reset(this.rv);
  }

  private namespaceMustExist(type: ResourceType, namespace: string): void {
    if (!type.namespaced) return;
    const namespaces = this.states.get('namespaces')!;
    if (!namespaces.objects.has(namespace))
      throw errors.notFound({ group: '', plural: 'namespaces' }, namespace);
  }

  private checkBody(
    type: ResourceType,
    version: string,
    obj: unknown,
    namespace: string,
  ): JsonObject {
    if (!isObject(obj))
      throw errors.badRequest('the body of the request was not a JSON object');
    const expected = apiVersionOf(type.group, version);
    if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
      throw errors.badRequest(
        `the API version in the data (${String(
          obj.apiVersion,
        )}) does not match the expected API version (${expected})`,
      );
    }
    if (obj.kind !== undefined && obj.kind !== type.kind) {
      throw errors.badRequest(
        `the kind in the data (${String(
          obj.kind,
        )}) does not match the expected kind (${type.kind})`,
      );
    }
    const meta = asObject(obj.metadata);
    if (
      type.namespaced &&
      meta.namespace !== undefined &&
      meta.namespace !== '' &&
      meta.namespace !== namespace
    ) {
      throw errors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const copy = clone(obj);
    copy.apiVersion = expected;
    copy.kind = type.kind;
    copy.metadata = { ...meta };
    if (type.namespaced) (copy.metadata as JsonObject).namespace = namespace;
    else delete (copy.metadata as JsonObject).namespace;
    return copy;
  }

  create(
    type: ResourceType,
    version: string,
    namespace: string,
    body: unknown,
    opts: WriteOptions = {},
  ): StoredObject {
    const obj = this.checkBody(type, version, body, namespace);
    const meta = obj.metadata as JsonObject;
    if (
      (meta.name === undefined || meta.name === '') &&
      typeof meta.generateName === 'string'
    ) {
      meta.name = `${meta.generateName}${randomUUID()
        .replace(/-/g, '')
        .slice(0, 5)}`;
    }
    assertValid(type, obj);
    this.namespaceMustExist(type, namespace);
    const name = meta.name as string;
    const state = this.state(type);
    if (state.objects.has(type.namespaced ? `${namespace}/${name}` : name))
      throw errors.alreadyExists(type, name);
    const crdType = this.crdCheck(obj);
    delete meta.resourceVersion;
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (type.hasStatus || type.custom) meta.generation = 1;
    if (type.kind === 'Namespace') {
      meta.labels = {
        ...asObject(meta.labels),
        'kubernetes.io/metadata.name': name,
      };
      obj.spec ??= { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
    }
    const final = crdType ? withCrdStatus(obj, crdType) : obj;
    return this.put(state, final, undefined, opts.dryRun);
  }

  /** PUT: replaces the object (or its status); 409 when the body's resourceVersion is stale. */
  update(
    type: ResourceType,
    version: string,
    namespace: string,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): StoredObject {
    const obj = this.checkBody(type, version, body, namespace);
    const meta = obj.metadata as JsonObject;
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(
        `the name of the object (${String(
          meta.name,
        )}) does not match the name on the URL (${name})`,
      );
    }
    meta.name = name;
    const state = this.state(type);
    const existing = this.get(type, namespace, name);
    const rv = asString(meta.resourceVersion);
    if (rv && rv !== String(existing.rv))
      throw errors.staleResourceVersion(type, name);
    const old = this.decode(type, version, existing);
    const oldMeta = asObject(old.metadata);
    let next: JsonObject;
    if (opts.subresource === 'status') {
      next = { ...old, status: obj.status };
    } else if (opts.subresource === 'scale') {
      // the caller computed spec.replicas and the status a controller would report
      next = { ...old, spec: obj.spec, status: obj.status };
    } else {
      assertValid(type, obj);
      next = { ...obj };
      if (type.hasStatus) {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
      this.crdCheck(next);
    }
    const nextMeta = { ...asObject(next.metadata) };
    nextMeta.uid = oldMeta.uid;
    nextMeta.creationTimestamp = oldMeta.creationTimestamp;
    if (type.kind === 'Namespace') {
      nextMeta.labels = {
        ...asObject(nextMeta.labels),
        'kubernetes.io/metadata.name': name,
      };
    }
    nextMeta.resourceVersion = oldMeta.resourceVersion;
    const specChanged = !deepEqual(
      withoutMetaStatus(old),
      withoutMetaStatus({ ...next, metadata: nextMeta }),
    );
    if (typeof oldMeta.generation === 'number') {
      nextMeta.generation = specChanged
        ? oldMeta.generation + 1
        : oldMeta.generation;
    }
    next.metadata = nextMeta;
    // a no-op write keeps the resourceVersion and sends no event, as the API server does
    if (deepEqual(next, old)) return existing;
    if (type.kind === 'CustomResourceDefinition') {
      const crdType = typeFromCrd(next);
      if (typeof crdType !== 'string')
        next = withCrdStatus({ ...next, status: undefined }, crdType);
    }
    return this.put(state, next, existing, opts.dryRun);
  }

  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    preconditions: JsonObject,
    opts: WriteOptions = {},
  ): { deleted: StoredObject; returnObject: boolean } {
    const state = this.state(type);
    const existing = this.get(type, namespace, name);
    const wantRv = asString(preconditions.resourceVersion);
    if (wantRv && wantRv !== String(existing.rv)) {
      throw errors.conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${wantRv}, ResourceVersion in object meta: ${existing.rv}`,
      );
    }
    const wantUid = asString(preconditions.uid);
    if (wantUid && wantUid !== existing.uid) {
      throw errors.conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${wantUid}, UID in object meta: ${existing.uid}`,
      );
    }
    const returnObject =
      type.custom || RETURNS_DELETED_OBJECT.has(groupResource(type));
    if (opts.dryRun) return { deleted: existing, returnObject };
    if (type.kind === 'Namespace') {
      // no finalizers here: the namespace and everything in it go at once
      for (const s of this.states.values()) {
        if (!s.type.namespaced) continue;
        for (const so of [...s.objects.values()])
          if (so.namespace === name) this.remove(s, so);
      }
    }
    return { deleted: this.remove(state, existing), returnObject };
  }

  deleteCollection(
    type: ResourceType,
    filter: Filter,
    opts: WriteOptions = {},
  ): StoredObject[] {
    const state = this.state(type);
    const matched = [...state.objects.values()].filter(so =>
      matchesFilter(so, filter),
    );
    if (opts.dryRun) return matched;
    return matched.map(
      so => this.delete(type, so.namespace, so.name, {}).deleted,
    );
  }

  // ---- watch ---------------------------------------------------------------------------------------------

  private emit(event: StoreEvent): void {
    // While a scenario loads there is nobody to tell about changes: no events are kept.
    if (!this.loading) this.log.emit(event);
  }

  /** See WatchLog.watch. */
  watch(
    type: ResourceType,
    filter: Filter,
    resourceVersion: string | undefined,
    send: (e: WatchEvent) => void,
  ): () => void {
    const state = this.state(type);
    return this.log.watch(
      groupResource(type),
      filter,
      resourceVersion,
      () => this.sortedKeys(state).map(key => state.objects.get(key)!),
      send,
    );
  }

  /**
   * The compaction window (`watch.historySeconds`): a watch from a resource version older than this many seconds
   * gets 410 Gone, as from an API server whose etcd compacted it (every 5 minutes by default there). 0: the last
   * 10,000 changes are kept whatever their age.
   */
  setHistorySeconds(seconds: number): void {
    this.log.setHistorySeconds(seconds);
  }

  /** Compacts now: every resource version handed out so far is gone for watches (410 on a resume). */
  compact(): string {
    // A new resource version first, so that even a watcher that saw the last change resumes from a compacted one.
    this.rv++;
    this.log.reset(this.rv);
    return String(this.rv);
  }

  objectCount(): number {
    let n = 0;
    for (const s of this.states.values()) n += s.objects.size;
    return n;
  }
}
