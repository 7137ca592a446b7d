// One simulated cluster on one loopback port: authentication, faults, request stats and log, discovery, the
// resource API and the `/_sim/` admin endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createNetServer } from 'node:net';
import type { AuthResult, ClusterAuth, TokenAuthority } from './auth.ts';
import { authenticate } from './auth.ts';
import type { ServingCert } from './cert.ts';
import { ResourceApi } from './api.ts';
import type { ChangeResult } from './changes.ts';
import { applyChange, parseChange } from './changes.ts';
import * as discovery from './discovery.ts';
import { normalizeFaults, seededRandom, seedOf } from './faults.ts';
import type { IstiodCaller } from './istiod.ts';
import { dialIstiod, parsePodProxy, serveIstiodProxy } from './istiod.ts';
import {
  offersProtocol,
  parsePortForward,
  PortForwarder,
  refuseUpgrade,
} from './portForward.ts';
import { groupResource } from './resources.ts';
import type { ResourceRoute, Route } from './routes.ts';
import { negotiate, parseRoute, verbOf } from './routes.ts';
import { ApiError, errors } from './status.ts';
import type { ClusterStore } from './store.ts';
import type { ClusterFaults, RequestLogEntry, RequestStats } from './types.ts';

const REQUEST_LOG_SIZE = 5000;
/** The API server's watch cache sends a bookmark about once a minute. */
const DEFAULT_BOOKMARK_SECONDS = 60;
const MAX_BODY = 8 * 1024 * 1024;

export interface ClusterServerOptions {
  name: string;
  token: string;
  /** The user named in 403 messages. */
  user: string;
  host: string;
  port: number;
  faults: ClusterFaults;
  store: ClusterStore;
  /** Certificate for the HTTPS side of the port. */
  tls: ServingCert;
  /** Who else may call (cloud tokens, EKS tokens, anonymous); the static token always works. */
  auth?: ClusterAuth;
  /** Verifies tokens the fake cloud issued. */
  authority?: TokenAuthority;
}

export class ClusterServer {
  readonly name: string;
  readonly token: string;
  readonly user: string;
  readonly host: string;
  readonly store: ClusterStore;
  readonly tls: ServingCert;
  port: number;
  private currentFaults: ClusterFaults;
  private currentAuth: ClusterAuth;
  private readonly authority?: TokenAuthority;
  private random: () => number;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly api: ResourceApi;
  private readonly watches = new Set<() => void>();
  /** How to cut each open watch without a clean end (POST /_sim/watches/drop). */
  private readonly drops = new Map<() => void, () => void>();
  private readonly delays = new Set<() => void>();
  private stats: RequestStats = emptyStats();
  private log: RequestLogEntry[] = [];
  /** Called for every API request (the CLI's --log-requests). */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Forwarded connections to istiod's debug port. */
  private readonly forwarder = new PortForwarder<{
    namespace: string;
    pod: string;
    port: number;
  }>(
    (req, res, target) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      this.serveIstiod(
        req,
        res,
        url,
        { ...target, path: url.pathname },
        'loopback',
      ).catch(() => res.destroy());
    },
    n => {
      this.stats.bytes += n;
    },
  );

  constructor(options: ClusterServerOptions) {
    this.name = options.name;
    this.token = options.token;
    this.user = options.user;
    this.host = options.host;
    this.port = options.port;
    this.store = options.store;
    this.tls = options.tls;
    this.currentFaults = options.faults;
    this.currentAuth = options.auth ?? {};
    this.authority = options.authority;
    this.store.setHistorySeconds(options.faults.watch?.historySeconds ?? 0);
    this.random = seededRandom(seedOf(this.name));
    this.api = new ResourceApi(
      this.store,
      resource => !this.isForbidden(resource),
    );
  }

  get url(): string {
    return `http://${this.hostPort}`;
  }

  get httpsUrl(): string {
    return `https://${this.hostPort}`;
  }

  private get hostPort(): string {
    return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${
      this.port
    }`;
  }

  get listening(): boolean {
    return !!this.server;
  }

  faults(): ClusterFaults {
    return structuredClone(this.currentFaults);
  }

  /** Listens unless the cluster is down; a down cluster still gets a port (reserved once), so its URL refuses connections. */
  async start(): Promise<void> {
    if (this.currentFaults.down) {
      if (this.port === 0) this.port = await reservePort(this.host);
      return;
    }
    await this.listen();
  }

  /**
   * One port, two protocols: the first byte of a connection tells a TLS handshake (0x16) from plain HTTP, so
   * app-config can use http:// while kubectl, which sends tokens only over TLS, uses https:// on the same port.
   */
  private listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.dispatch(req, res).catch(e => {
        if (!res.headersSent)
          writeJson(
            res,
            500,
            errors.internal(String(e?.message ?? e)).toStatus(),
          );
        else res.destroy();
      });
    };
    const plain = createServer({ keepAliveTimeout: 5000 }, handler);
    const secure = createHttpsServer(
      { keepAliveTimeout: 5000, key: this.tls.keyPem, cert: this.tls.certPem },
      handler,
    );
    const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head).catch(() => socket.destroy());
    plain.on('upgrade', upgrade);
    secure.on('upgrade', upgrade);
    const server = createNetServer(socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      socket.once('data', chunk => {
        socket.pause();
        socket.unshift(chunk);
        (chunk[0] === 0x16 ? secure : plain).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  /** Stops listening and drops every connection, watches and delayed responses included. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const stop of [...this.watches]) stop();
    for (const release of [...this.delays]) release();
    if (!server) return;
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  async setFaults(faults: ClusterFaults): Promise<void> {
    this.currentFaults = normalizeFaults(faults, `faults of ${this.name}`);
    this.store.setHistorySeconds(this.currentFaults.watch?.historySeconds ?? 0);
    this.random = seededRandom(seedOf(this.name));
    if (this.currentFaults.down && this.server) await this.close();
    if (!this.currentFaults.down && !this.server) await this.listen();
  }

  requestStats(): RequestStats {
    return {
      requests: this.stats.requests,
      bytes: this.stats.bytes,
      watchBytes: this.stats.watchBytes,
      byResource: { ...this.stats.byResource },
    };
  }

  resetStats(): void {
    this.stats = emptyStats();
    this.log = [];
  }

  requestLog(): RequestLogEntry[] {
    return this.log.map(e => ({ ...e, query: { ...e.query } }));
  }

  /** The watch faults as the stream wants them (ms). */
  private watchSettings() {
    const w = this.currentFaults.watch ?? {};
    return {
      bookmarkMs: (w.bookmarkSeconds ?? DEFAULT_BOOKMARK_SECONDS) * 1000,
      dropAfterEvents: w.dropAfterEvents,
      dropAfterMs: w.dropAfterSeconds ? w.dropAfterSeconds * 1000 : undefined,
    };
  }

  /** Cuts every open watch (a reset connection, as when a load balancer or the API server restarts). */
  dropWatches(): number {
    const cuts = [...this.drops.values()];
    // Destroyed, not ended: the client gets no terminating chunk; the request's close then unsubscribes it.
    for (const cut of cuts) cut();
    return cuts.length;
  }

  /** Open watch connections. */
  get openWatches(): number {
    return this.watches.size;
  }

  private isForbidden(resource: string): boolean {
    return (this.currentFaults.forbidden ?? []).includes(resource);
  }

  private delay(ms: number): Promise<void> {
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const release = () => {
        clearTimeout(timer);
        this.delays.delete(release);
        resolve();
      };
      timer = setTimeout(release, ms);
      this.delays.add(release);
    });
  }

  auth(): ClusterAuth {
    return structuredClone(this.currentAuth);
  }

  setAuth(auth: ClusterAuth): void {
    this.currentAuth = structuredClone(auth);
  }

  /** The admin endpoints take the cluster's own token only. */
  private authenticated(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    return header === `Bearer ${this.token}`;
  }

  private caller(req: IncomingMessage): AuthResult {
    return authenticate(
      req.headers.authorization,
      this.token,
      this.currentAuth,
      this.authority,
    );
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      await this.admin(req, res, method, url.pathname);
      return;
    }
    const podProxy = parsePodProxy(url.pathname);
    if (podProxy) {
      await this.servePodProxy(req, res, method, url, podProxy);
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    const route = parseRoute(url.pathname, (g, v, plural) => {
      const type = this.store.resolve(g, v, plural);
      return type
        ? type.namespaced
        : plural !== 'status' && plural !== 'finalize';
    });
    const verb =
      route.kind === 'resource'
        ? verbOf(method, route, query)
        : method.toLowerCase();
    const resource =
      route.kind === 'resource'
        ? groupResource(route) +
          (route.subresource ? `/${route.subresource}` : '')
        : url.pathname;
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query,
      accept: req.headers.accept ?? '',
      verb,
      resource,
      status: 0,
    };
    this.count(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    try {
      const body =
        method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
      if (this.currentFaults.latencyMs) {
        await this.delay(this.currentFaults.latencyMs);
        if (!this.server || req.destroyed) return;
      }
      this.checkAccess(req, route, verb, entry);
      if (
        this.currentFaults.errorRate &&
        this.random() < this.currentFaults.errorRate
      ) {
        throw errors.internal(
          'kube-sim injected a server error (errorRate fault)',
        );
      }
      this.serve(req, res, method, route, verb, query, body);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (res.headersSent) res.end();
      else writeJson(res, e.code, e.toStatus());
    }
  }

  /**
   * The pod proxy subresource (RBAC: `get` on `pods/proxy`), served for istiod's debug endpoints only. The API
   * server's own failures are Status objects; istiod's answers pass through as istiod wrote them — by default a
   * 401, since the proxied connection does not come from istiod's loopback (see istiod.ts).
   */
  private async servePodProxy(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    target: NonNullable<ReturnType<typeof parsePodProxy>>,
  ): Promise<void> {
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      accept: req.headers.accept ?? '',
      verb: 'get',
      resource: 'pods/proxy',
      status: 0,
    };
    this.count(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    try {
      if (this.currentFaults.latencyMs) {
        await this.delay(this.currentFaults.latencyMs);
        if (!this.server || req.destroyed) return;
      }
      this.authorizeSubresource(req, entry, 'pods/proxy', 'get', target);
      if (method !== 'GET') throw errors.methodNotAllowed();
      await this.serveIstiod(req, res, url, target, 'apiserver');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (res.headersSent) res.end();
      else writeJson(res, e.code, e.toStatus());
    }
  }

  /** Authentication, the 403 of `forbidden: [<resource>]` and the errorRate fault, for a pod subresource. */
  private authorizeSubresource(
    req: IncomingMessage,
    entry: RequestLogEntry,
    resource: string,
    verb: string,
    target: { namespace: string; pod: string },
  ): void {
    if (this.currentFaults.unauthorized) throw errors.unauthorized();
    const caller = this.caller(req);
    if (caller.ok) entry.user = caller.user;
    else entry.authError = caller.reason;
    if (!caller.ok) throw errors.unauthorized();
    if (this.isForbidden(resource))
      throw new ApiError(
        403,
        'Forbidden',
        `pods "${target.pod}" is forbidden: User "${this.user}" cannot ${verb} resource "${resource}" in API group "" in the namespace "${target.namespace}"`,
        { name: target.pod, kind: 'pods' },
      );
    if (
      this.currentFaults.errorRate &&
      this.random() < this.currentFaults.errorRate
    )
      throw errors.internal(
        'kube-sim injected a server error (errorRate fault)',
      );
  }

  /** istiod's answer to one debug request, with its latency fault; big syncz bodies go out in pieces. */
  private async serveIstiod(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    target: { namespace: string; pod: string; port?: number; path: string },
    caller: IstiodCaller,
  ): Promise<void> {
    const faults = this.currentFaults.istiod ?? {};
    const answer = serveIstiodProxy(
      this.store,
      target,
      url.searchParams,
      faults,
      new Date(),
      caller,
    );
    if (faults.latencyMs) {
      await this.delay(faults.latencyMs);
      if (!this.server || req.destroyed || res.destroyed) return;
    }
    if (caller === 'apiserver')
      this.stats.bytes += Buffer.byteLength(answer.body);
    res.writeHead(answer.status, { 'Content-Type': answer.contentType });
    const CHUNK = 64 * 1024;
    for (let i = 0; i < answer.body.length; i += CHUNK)
      res.write(answer.body.slice(i, i + CHUNK));
    res.end();
  }

  /**
   * `pods/portforward` over WebSocket (portForward.ts), for istiod's debug port. RBAC: the API server authorizes
   * the upgrade's GET as `get` (and, from Kubernetes 1.35's AuthorizePodWebsocketUpgradeCreatePermission, also
   * `create`) on `pods/portforward`; `forbidden: [pods/portforward]` refuses it.
   */
  private async upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const target = parsePortForward(url.pathname);
    const entry: RequestLogEntry = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      accept: req.headers.accept ?? '',
      verb: 'get',
      resource: 'pods/portforward',
      status: 0,
    };
    this.count(entry);
    const refuse = (e: ApiError) => {
      entry.status = e.code;
      refuseUpgrade(socket, e.code, e.toStatus());
    };
    try {
      if (!target)
        throw new ApiError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      if (this.currentFaults.latencyMs) {
        await this.delay(this.currentFaults.latencyMs);
        if (!this.server || socket.destroyed) return;
      }
      this.authorizeSubresource(
        req,
        entry,
        'pods/portforward',
        'create',
        target,
      );
      if (!offersProtocol(req))
        throw new ApiError(
          400,
          'BadRequest',
          'unable to upgrade connection: kube-sim serves port-forward over WebSocket with subprotocol v4.channel.k8s.io only (no SPDY)',
        );
      const ports = url.searchParams.getAll('ports');
      const port = Number(ports[0]);
      if (
        ports.length !== 1 ||
        !Number.isInteger(port) ||
        port < 1 ||
        port > 65535
      )
        throw new ApiError(
          400,
          'BadRequest',
          'exactly one port is forwarded: ?ports=<1-65535>',
        );
      // The pod must exist (404); a running pod whose port nobody listens on fails on the error channel.
      let dialError: string | undefined;
      try {
        dialIstiod(this.store, { ...target, port });
      } catch (e) {
        if (!(e instanceof ApiError) || e.code === 404) throw e;
        dialError = `error forwarding port ${port} to pod ${target.pod}, uid : failed to connect to localhost:${port} inside the pod's network namespace: dial tcp4 127.0.0.1:${port}: connect: connection refused`;
      }
      entry.status = 101;
      this.forwarder.accept(req, socket, head, port, () =>
        dialError ? { error: dialError } : { target: { ...target, port } },
      );
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      refuse(e);
    }
  }

  private count(entry: RequestLogEntry): void {
    this.stats.requests++;
    const key = `${entry.verb} ${entry.resource}`;
    this.stats.byResource[key] = (this.stats.byResource[key] ?? 0) + 1;
    this.log.push(entry);
    if (this.log.length > REQUEST_LOG_SIZE)
      this.log.splice(0, this.log.length - REQUEST_LOG_SIZE);
    this.onRequest?.(entry);
  }

  private checkAccess(
    req: IncomingMessage,
    route: Route,
    verb: string,
    entry: RequestLogEntry,
  ): void {
    if (this.currentFaults.unauthorized) throw errors.unauthorized();
    const caller = this.caller(req);
    if (caller.ok) entry.user = caller.user;
    else entry.authError = caller.reason;
    // like system:public-info-viewer: /version and health checks need no credentials, but bad ones still fail
    const publicInfo = route.kind === 'version' || route.kind === 'health';
    const anonymous = !req.headers.authorization;
    if (!caller.ok && !(anonymous && publicInfo)) throw errors.unauthorized();
    const watchForbidden =
      verb === 'watch' &&
      route.kind === 'resource' &&
      (this.currentFaults.watch?.forbidden ?? []).includes(
        groupResource(route),
      );
    if (
      route.kind === 'resource' &&
      (watchForbidden || this.isForbidden(groupResource(route)))
    ) {
      throw errors.forbidden(
        route,
        verb,
        this.user,
        route.namespace,
        route.name,
      );
    }
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    route: Route,
    verb: string,
    query: Record<string, string>,
    body: string,
  ): void {
    const types = this.store.types();
    const json = (value: object | undefined) => {
      if (!value) throw errors.pathNotFound();
      if (method !== 'GET') throw errors.methodNotAllowed();
      writeJson(res, 200, value);
    };
    switch (route.kind) {
      case 'root':
        return json({
          paths: [
            '/api',
            '/api/v1',
            '/apis',
            '/healthz',
            '/livez',
            '/readyz',
            '/version',
          ],
        });
      case 'health':
        res
          .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end('ok');
        return undefined;
      case 'version':
        return json(discovery.versionInfo());
      case 'coreVersions':
        return json(discovery.coreVersions(`${this.host}:${this.port}`));
      case 'groupList':
        return json(discovery.groupList(types));
      case 'group':
        return json(discovery.group(types, route.group));
      case 'resourceList':
        return json(discovery.resourceList(types, route.group, route.version));
      case 'notFound':
        throw errors.pathNotFound();
      default:
        return this.serveResource(req, res, method, route, verb, query, body);
    }
  }

  private serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    route: ResourceRoute,
    verb: string,
    query: Record<string, string>,
    body: string,
  ): void {
    const type = this.store.resolve(route.group, route.version, route.plural);
    if (!type) throw errors.pathNotFound();
    if (route.namespace !== undefined && !type.namespaced)
      throw errors.pathNotFound();
    const representation = negotiate(req.headers.accept);
    if (!representation) throw errors.notAcceptable();
    const apiRequest = {
      method,
      verb,
      route,
      type,
      query,
      representation,
      contentType: req.headers['content-type'] ?? 'application/json',
      body,
    };
    if (verb === 'watch') {
      this.api.watch(
        apiRequest,
        req,
        res,
        stop => {
          this.watches.add(stop);
          this.drops.set(stop, () => res.destroy());
          return () => {
            this.watches.delete(stop);
            this.drops.delete(stop);
          };
        },
        () => this.watchSettings(),
        bytes => {
          this.stats.bytes += bytes;
          this.stats.watchBytes += bytes;
        },
      );
      return;
    }
    const result = this.api.handle(apiRequest);
    this.stats.bytes += Buffer.byteLength(result.body);
    res
      .writeHead(result.status, { 'Content-Type': 'application/json' })
      .end(result.body);
  }

  // ---- /_sim admin endpoints: same bearer token, never subject to the faults --------------------------

  private async admin(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    if (!this.authenticated(req)) {
      writeJson(res, 401, errors.unauthorized().toStatus());
      return;
    }
    const route = `${method} ${path.replace(/\/$/, '')}`;
    if (route === 'GET /_sim/stats') {
      writeJson(res, 200, this.requestStats());
    } else if (route === 'POST /_sim/stats/reset') {
      this.resetStats();
      writeJson(res, 200, this.requestStats());
    } else if (route === 'GET /_sim/log') {
      writeJson(res, 200, { items: this.requestLog() });
    } else if (route === 'GET /_sim/faults') {
      writeJson(res, 200, this.faults());
    } else if (route === 'PUT /_sim/faults') {
      let faults: ClusterFaults;
      try {
        faults = normalizeFaults(
          JSON.parse((await readBody(req)) || '{}'),
          'PUT /_sim/faults',
        );
      } catch (e) {
        writeJson(res, 400, errors.badRequest((e as Error).message).toStatus());
        return;
      }
      if (!faults.down) {
        await this.setFaults(faults);
        writeJson(res, 200, faults);
        return;
      }
      // answer first: `down` closes this very port (only the programmatic API can open it again)
      res.on('finish', () => {
        this.setFaults(faults).catch(e =>
          console.error(`kube-sim: ${this.name}: ${e}`),
        );
      });
      writeJson(res, 200, faults);
    } else if (route === 'POST /_sim/compact') {
      writeJson(res, 200, { compactedResourceVersion: this.store.compact() });
    } else if (route === 'GET /_sim/watches') {
      writeJson(res, 200, { open: this.openWatches });
    } else if (route === 'POST /_sim/watches/drop') {
      writeJson(res, 200, { dropped: this.dropWatches() });
    } else if (route === 'POST /_sim/change') {
      let result: ChangeResult;
      try {
        const body = JSON.parse((await readBody(req)) || '{}');
        result = applyChange(this.store, parseChange(body));
      } catch (e) {
        if (e instanceof ApiError) {
          writeJson(res, e.code, e.toStatus());
          return;
        }
        writeJson(res, 400, errors.badRequest((e as Error).message).toStatus());
        return;
      }
      writeJson(res, 200, result);
    } else {
      writeJson(res, 404, errors.pathNotFound().toStatus());
    }
  }
}

function emptyStats(): RequestStats {
  return { requests: 0, bytes: 0, watchBytes: 0, byResource: {} };
}

function writeJson(res: ServerResponse, status: number, value: object): void {
  res
    .writeHead(status, { 'Content-Type': 'application/json' })
    .end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(errors.badRequest('request entity too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A free port for a cluster that starts down: bound once and released, so its URL refuses connections. */
function reservePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
