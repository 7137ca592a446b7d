// Resource requests (get, list, watch, create, update, patch, delete, deletecollection) against one cluster's
// store, rendered as plain JSON, metadata-only (PartialObjectMetadata) or as a Table.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { JsonObject } from './json.ts';
import { asObject, isObject } from './json.ts';
import {
  jsonPatch,
  mergePatch,
  PatchError,
  strategicMergePatch,
} from './patch.ts';
import type { ResourceType } from './resources.ts';
import { apiVersionOf, groupResource } from './resources.ts';
import type { Representation, ResourceRoute } from './routes.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { ApiError, errors } from './status.ts';
import type { Filter, ListResult, StoredObject, WatchEvent } from './store.ts';
import type { ClusterStore } from './store.ts';
import type { IncludeObject } from './table.ts';
import { toTable } from './table.ts';

/** How often an open watch looks at its settings (bookmarks due, drop due). */
const WATCH_TICK_MS = 250;

export interface ApiRequest {
  method: string;
  verb: string;
  route: ResourceRoute;
  type: ResourceType;
  query: Record<string, string>;
  representation: Representation;
  contentType: string;
  body: string;
}

export interface ApiResult {
  status: number;
  body: string;
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function parseBody(text: string, contentType: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(
      `the body of the request could not be decoded: ${(e as Error).message}`,
    );
  }
}

export class ResourceApi {
  private readonly store: ClusterStore;
  private readonly allowed: (resource: string) => boolean;

  constructor(store: ClusterStore, allowed: (resource: string) => boolean) {
    this.store = store;
    this.allowed = allowed;
  }

  private filter(req: ApiRequest): Filter {
    const fields = parseFieldSelector(req.query.fieldSelector);
    this.store.checkFieldSelector(req.type, fields);
    if (req.route.name)
      fields.push({
        field: 'metadata.name',
        value: req.route.name,
        negate: false,
      });
    return {
      namespace: req.route.namespace,
      labels: parseLabelSelector(req.query.labelSelector),
      fields,
    };
  }

  private meta(so: StoredObject): JsonObject {
    return asObject(JSON.parse(so.body).metadata);
  }

  renderObject(req: ApiRequest, so: StoredObject): string {
    const { type, route, representation: rep } = req;
    if (rep.as === 'PartialObjectMetadata') {
      return JSON.stringify({
        kind: 'PartialObjectMetadata',
        apiVersion: `meta.k8s.io/${rep.version}`,
        metadata: this.meta(so),
      });
    }
    if (rep.as === 'Table') {
      const table = toTable(
        type,
        [this.store.decode(type, route.version, so)],
        { resourceVersion: String(so.rv) },
        this.includeObject(req),
      );
      return JSON.stringify({
        ...table,
        apiVersion: `meta.k8s.io/${rep.version}`,
      });
    }
    return this.store.serialize(type, route.version, so);
  }

  private includeObject(req: ApiRequest): IncludeObject {
    const v = req.query.includeObject;
    return v === 'None' || v === 'Object' ? v : 'Metadata';
  }

  renderList(req: ApiRequest, result: ListResult): string {
    const { type, route, representation: rep } = req;
    const listMeta: JsonObject = { resourceVersion: result.resourceVersion };
    if (result.continue) listMeta.continue = result.continue;
    if (result.remainingItemCount !== undefined)
      listMeta.remainingItemCount = result.remainingItemCount;
    if (rep.as === 'PartialObjectMetadata') {
      const apiVersion = `meta.k8s.io/${rep.version}`;
      return JSON.stringify({
        kind: 'PartialObjectMetadataList',
        apiVersion,
        metadata: listMeta,
        items: result.items.map(so => ({
          kind: 'PartialObjectMetadata',
          apiVersion,
          metadata: this.meta(so),
        })),
      });
    }
    if (rep.as === 'Table') {
      const objects = result.items.map(so =>
        this.store.decode(type, route.version, so),
      );
      return JSON.stringify({
        ...toTable(type, objects, listMeta, this.includeObject(req)),
        apiVersion: `meta.k8s.io/${rep.version}`,
      });
    }
    const head = `{"apiVersion":${JSON.stringify(
      apiVersionOf(type.group, route.version),
    )},"kind":${JSON.stringify(type.listKind)},"metadata":${JSON.stringify(
      listMeta,
    )},"items":[`;
    return `${head}${result.items
      .map(so => this.store.serialize(type, route.version, so))
      .join(',')}]}`;
  }

  /** Everything but watch. */
  handle(req: ApiRequest): ApiResult {
    const { type, route, verb, query } = req;
    if (!type.verbs.includes(verb)) throw errors.methodNotAllowed();
    if (type.virtual) return this.accessReview(req);
    if (route.subresource) {
      const known =
        (route.subresource === 'status' && type.hasStatus) ||
        (route.subresource === 'scale' && type.hasScale);
      if (!known) throw errors.pathNotFound();
      if (!['get', 'update', 'patch'].includes(verb))
        throw errors.methodNotAllowed();
    }
    if (
      type.namespaced &&
      !route.namespace &&
      !['list', 'watch', 'deletecollection'].includes(verb)
    ) {
      throw errors.pathNotFound();
    }
    const ns = route.namespace ?? '';
    const dryRun = query.dryRun === 'All';
    if (route.subresource === 'scale') return this.scale(req, ns, dryRun);
    switch (verb) {
      case 'list': {
        const limit = query.limit
          ? Number.parseInt(query.limit, 10)
          : undefined;
        if (limit !== undefined && (!Number.isFinite(limit) || limit < 0))
          throw errors.badRequest(`invalid limit: ${query.limit}`);
        return {
          status: 200,
          body: this.renderList(
            req,
            this.store.list(type, this.filter(req), limit, query.continue),
          ),
        };
      }
      case 'get':
        return {
          status: 200,
          body: this.renderObject(req, this.store.get(type, ns, route.name!)),
        };
      case 'create': {
        if (route.name) throw errors.methodNotAllowed();
        const so = this.store.create(
          type,
          route.version,
          ns,
          parseBody(req.body, req.contentType),
          { dryRun },
        );
        return { status: 201, body: this.renderObject(req, so) };
      }
      case 'update': {
        const so = this.store.update(
          type,
          route.version,
          ns,
          route.name!,
          parseBody(req.body, req.contentType),
          {
            dryRun,
            subresource: route.subresource,
          },
        );
        return { status: 200, body: this.renderObject(req, so) };
      }
      case 'patch':
        return this.patch(req, ns, dryRun);
      case 'delete': {
        const options = asObject(parseBody(req.body, req.contentType));
        const { deleted, returnObject } = this.store.delete(
          type,
          ns,
          route.name!,
          asObject(options.preconditions),
          {
            dryRun:
              dryRun ||
              (Array.isArray(options.dryRun) && options.dryRun.includes('All')),
          },
        );
        if (returnObject)
          return { status: 200, body: this.renderObject(req, deleted) };
        const status = {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: {
            name: deleted.name,
            group: type.group || undefined,
            kind: type.plural,
            uid: deleted.uid,
          },
        };
        return { status: 200, body: JSON.stringify(status) };
      }
      case 'deletecollection': {
        const deleted = this.store.deleteCollection(type, this.filter(req), {
          dryRun,
        });
        return {
          status: 200,
          body: this.renderList(req, {
            items: deleted,
            resourceVersion: this.store.currentResourceVersion(),
          }),
        };
      }
      default:
        throw errors.methodNotAllowed();
    }
  }

  private patchContentType(req: ApiRequest): string {
    const contentType = req.contentType.split(';')[0].trim().toLowerCase();
    if (
      !PATCH_TYPES.includes(contentType) ||
      (req.type.custom &&
        contentType === 'application/strategic-merge-patch+json')
    ) {
      // custom resources have no strategic merge patch, as on a real API server
      throw errors.unsupportedMediaType(
        contentType,
        PATCH_TYPES.filter(t => !req.type.custom || !t.includes('strategic')),
      );
    }
    return contentType;
  }

  private applyPatch(
    current: JsonObject,
    contentType: string,
    patchBody: unknown,
  ): JsonObject {
    let patched: unknown;
    try {
      if (contentType === 'application/json-patch+json')
        patched = jsonPatch(current, patchBody);
      else if (contentType === 'application/merge-patch+json')
        patched = mergePatch(current, patchBody);
      else patched = strategicMergePatch(current, patchBody);
    } catch (e) {
      if (e instanceof PatchError) {
        throw e.code === 400
          ? errors.badRequest(e.message)
          : new ApiError(422, 'Invalid', e.message);
      }
      throw e;
    }
    if (!isObject(patched))
      throw new ApiError(
        422,
        'Invalid',
        'the patched object is not a JSON object',
      );
    return patched;
  }

  private patch(req: ApiRequest, ns: string, dryRun: boolean): ApiResult {
    const { type, route } = req;
    const contentType = this.patchContentType(req);
    const patchBody = parseBody(req.body, contentType);
    const existing = this.store.find(type, ns, route.name!);
    if (!existing) {
      if (contentType !== 'application/apply-patch+yaml' || route.subresource)
        throw errors.notFound(type, route.name!);
      // server-side apply creates what is missing
      const created = this.store.create(
        type,
        route.version,
        ns,
        {
          ...asObject(patchBody),
          metadata: {
            ...asObject(asObject(patchBody).metadata),
            name: route.name,
          },
        },
        { dryRun },
      );
      return { status: 201, body: this.renderObject(req, created) };
    }
    const patched = this.applyPatch(
      this.store.decode(type, route.version, existing),
      contentType,
      patchBody,
    );
    const meta = asObject(patched.metadata);
    if (
      meta.name !== route.name ||
      (type.namespaced && meta.namespace !== ns)
    ) {
      throw errors.invalid(type.kind, type.group, route.name!, [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.name',
          message: 'field is immutable',
        },
      ]);
    }
    const so = this.store.update(
      type,
      route.version,
      ns,
      route.name!,
      patched,
      { dryRun, subresource: route.subresource },
    );
    return { status: 200, body: this.renderObject(req, so) };
  }

  /**
   * The `/scale` subresource (autoscaling/v1 Scale). With no controllers running, scaling also sets the status
   * a controller would converge to when scaling down: ready replicas never exceed the new count.
   */
  private scale(req: ApiRequest, ns: string, dryRun: boolean): ApiResult {
    const { type, route, verb } = req;
    const existing = this.store.get(type, ns, route.name!);
    const obj = this.store.decode(type, route.version, existing);
    const toScale = (o: JsonObject, rv: number) => {
      const m = asObject(o.metadata);
      const selector = asObject(
        asObject(asObject(o.spec).selector).matchLabels,
      );
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name: m.name,
          namespace: m.namespace,
          uid: m.uid,
          resourceVersion: String(rv),
          creationTimestamp: m.creationTimestamp,
        },
        spec: { replicas: asObject(o.spec).replicas ?? 1 },
        status: {
          replicas: asObject(o.status).replicas ?? 0,
          selector: Object.entries(selector)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(','),
        },
      };
    };
    const current = toScale(obj, existing.rv);
    if (verb === 'get') return { status: 200, body: JSON.stringify(current) };
    const wanted =
      verb === 'update'
        ? asObject(parseBody(req.body, req.contentType))
        : this.applyPatch(
            current,
            this.patchContentType(req),
            parseBody(req.body, req.contentType),
          );
    const rv = asObject(wanted.metadata).resourceVersion;
    if (typeof rv === 'string' && rv && rv !== String(existing.rv))
      throw errors.staleResourceVersion(type, route.name!);
    const replicas = asObject(wanted.spec).replicas;
    if (
      typeof replicas !== 'number' ||
      !Number.isInteger(replicas) ||
      replicas < 0
    ) {
      throw errors.invalid('Scale', 'autoscaling', route.name!, [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.replicas',
          message: `Invalid value: ${JSON.stringify(
            replicas,
          )}: must be greater than or equal to 0`,
        },
      ]);
    }
    const status = { ...asObject(obj.status) };
    for (const key of [
      'replicas',
      'readyReplicas',
      'availableReplicas',
      'updatedReplicas',
      'currentReplicas',
    ]) {
      if (typeof status[key] === 'number')
        status[key] = Math.min(status[key] as number, replicas);
    }
    if (typeof status.replicas === 'number' || replicas > 0)
      status.replicas = replicas;
    const next = { ...obj, spec: { ...asObject(obj.spec), replicas }, status };
    const so = this.store.update(type, route.version, ns, route.name!, next, {
      dryRun,
      subresource: 'scale',
    });
    return {
      status: 200,
      body: JSON.stringify(
        toScale(this.store.decode(type, route.version, so), so.rv),
      ),
    };
  }

  /** SelfSubjectAccessReview: allowed unless the resource is in the cluster's `forbidden` faults. */
  private accessReview(req: ApiRequest): ApiResult {
    const body = asObject(parseBody(req.body, req.contentType));
    const attrs = asObject(asObject(body.spec).resourceAttributes);
    const resource = typeof attrs.resource === 'string' ? attrs.resource : '';
    const group = typeof attrs.group === 'string' ? attrs.group : '';
    const allowed = this.allowed(groupResource({ group, plural: resource }));
    return {
      status: 201,
      body: JSON.stringify({
        kind: req.type.kind,
        apiVersion: apiVersionOf(req.type.group, req.route.version),
        metadata: { creationTimestamp: null },
        spec: body.spec ?? {},
        status: allowed
          ? {
              allowed: true,
              reason: 'kube-sim allows every resource not listed in forbidden',
            }
          : {
              allowed: false,
              reason: 'forbidden by the kube-sim faults of this cluster',
            },
      }),
    };
  }

  /**
   * Streams watch events as JSON lines until the client goes away, timeoutSeconds passes or the server stops.
   * With `allowWatchBookmarks=true`, a BOOKMARK with the current resourceVersion every `bookmarkMs` and one just
   * before a `timeoutSeconds` end (as the API server's watch cache does), so a client can resume from there.
   * `drop` faults cut the connection without a clean end (a reset socket), like a load balancer or a crash.
   */
  watch(
    req: ApiRequest,
    httpReq: IncomingMessage,
    res: ServerResponse,
    onStop: (stop: () => void) => () => void,
    settings: () => WatchStreamOptions = () => ({}),
    onBytes?: (bytes: number) => void,
  ): void {
    const { type, route, query } = req;
    if (!type.verbs.includes('watch') || route.subresource)
      throw errors.methodNotAllowed();
    const filter = this.filter(req);
    const rep = req.representation;
    const render = (so: StoredObject) => {
      if (rep.as === 'PartialObjectMetadata') {
        return JSON.stringify({
          kind: 'PartialObjectMetadata',
          apiVersion: `meta.k8s.io/${rep.version}`,
          metadata: this.meta(so),
        });
      }
      if (rep.as === 'Table') return this.renderObject(req, so);
      return this.store.serialize(type, route.version, so);
    };
    const queue: string[] = [];
    let open = false;
    let events = 0;
    let dropped = false;
    /** The last event before a drop is on its way: nothing more is sent. */
    let cutting = false;
    const write = (line: string, then?: () => void) => {
      if (dropped || res.writableEnded) return;
      onBytes?.(Buffer.byteLength(line));
      res.write(line, then);
    };
    /** Sends one event line; the one that reaches `dropAfterEvents` is flushed, then the connection is cut. */
    const deliver = (line: string) => {
      if (cutting) return;
      events++;
      const after = settings().dropAfterEvents;
      cutting = !!after && events >= after;
      write(line, cutting ? drop : undefined);
    };
    const send = (e: WatchEvent) => {
      const line = `{"type":"${e.type}","object":${render(e.object)}}\n`;
      if (open) deliver(line);
      // Events replayed from the history while the watch starts go out once it has started.
      else queue.push(line);
    };
    const bookmark = (annotations?: Record<string, string>) =>
      `{"type":"BOOKMARK","object":${JSON.stringify({
        kind: type.kind,
        apiVersion: apiVersionOf(type.group, route.version),
        metadata: {
          resourceVersion: this.store.currentResourceVersion(),
          ...(annotations ? { annotations } : {}),
        },
      })}}\n`;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    let unsubscribe: () => void;
    try {
      unsubscribe = this.store.watch(type, filter, query.resourceVersion, send);
    } catch (e) {
      if (e instanceof ApiError) {
        const line = `{"type":"ERROR","object":${JSON.stringify(
          e.toStatus(),
        )}}\n`;
        onBytes?.(Buffer.byteLength(line));
        res.end(line);
        return;
      }
      throw e;
    }
    open = true;
    // The client waits for the headers before it reads a single event.
    res.flushHeaders();
    for (const line of queue) deliver(line);
    if (query.sendInitialEvents === 'true')
      write(bookmark({ 'k8s.io/initial-events-end': 'true' }));
    const bookmarks = query.allowWatchBookmarks === 'true';
    const timers: NodeJS.Timeout[] = [];
    let forget = () => {};
    const stop = () => {
      unsubscribe();
      timers.forEach(clearTimeout);
      forget();
      if (!res.writableEnded) res.end();
    };
    function drop() {
      if (dropped) return;
      dropped = true;
      unsubscribe();
      timers.forEach(clearTimeout);
      forget();
      // No terminating chunk: the client sees the connection reset mid-stream.
      res.destroy();
    }
    forget = onStop(stop);
    // One ticker reads the current settings, so faults set while the watch is open apply to it too.
    const openedAt = Date.now();
    let lastBookmark = openedAt;
    const tick = setInterval(() => {
      const now = Date.now();
      const { bookmarkMs, dropAfterMs } = settings();
      if (dropAfterMs && now - openedAt >= dropAfterMs) {
        drop();
        return;
      }
      if (bookmarks && bookmarkMs && now - lastBookmark >= bookmarkMs) {
        lastBookmark = now;
        write(bookmark());
      }
    }, WATCH_TICK_MS);
    timers.push(tick);
    const timeout = Number(query.timeoutSeconds);
    if (timeout > 0)
      timers.push(
        setTimeout(() => {
          if (bookmarks) write(bookmark());
          stop();
        }, timeout * 1000),
      );
    httpReq.on('close', stop);
  }
}

export interface WatchStreamOptions {
  /** BOOKMARK interval for watches with `allowWatchBookmarks=true`; 0 or absent: none but the closing one. */
  bookmarkMs?: number;
  /** Drop the connection after this many events (replayed and initial ones included). */
  dropAfterEvents?: number;
  /** Drop the connection this long after it opened. */
  dropAfterMs?: number;
}
