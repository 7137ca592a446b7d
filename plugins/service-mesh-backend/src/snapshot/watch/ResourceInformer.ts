/*
 * List + watch of one resource in one cluster, the way client-go's reflector does it
 * (k8s.io/client-go/tools/cache/reflector.go ListAndWatch): list (paginated) and remember the list's
 * resourceVersion, watch from it with bookmarks, apply every event to the records and move the resourceVersion on
 * with each event and bookmark; when the stream ends (the server's timeoutSeconds) watch again from there; when it
 * breaks, the same with backoff and jitter; on 410 Gone (the version was compacted) list again. A relist replaces
 * the records, so objects deleted while nobody watched disappear too.
 *
 * A 403 on the watch (an API server or policy that forbids long requests) falls back to listing the resource every
 * poll interval, logged once with the RBAC verb to add. A 403 on the list leaves the resource unreadable (MESH092),
 * tried again every poll interval; a custom resource whose versions all answer 404 is not installed (empty).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  isKubeApiError,
  KubeApiError,
  KubeClient,
  KubeWatchEvent,
} from '@internal/plugin-service-mesh-node';
import {
  listPath,
  ResourceKey,
  ResourceSpec,
} from '../../collectors/resources';
import type { MalformedObject } from '../../collectors/objects';
import { backoffMs } from '../DatabaseSnapshotStore';
import { objectKey, recordOf } from './records';

type ObjectRecord = unknown;

export interface InformerSettings {
  /** Bounds each list request and each watch's connection (the per-cluster timeout). */
  requestTimeoutMs: number;
  /** How often a resource whose watch is forbidden is listed, and a forbidden or absent one tried again. */
  pollIntervalMs: number;
  /** First delay after a failure; doubled per failure up to maxBackoffMs, each with ±50% jitter. */
  backoffMs: number;
  maxBackoffMs: number;
  /** A watch that sends nothing (not even a bookmark) for this long is taken as dead and started again. */
  idleTimeoutMs: number;
}

export const DEFAULT_INFORMER_SETTINGS: Omit<
  InformerSettings,
  'requestTimeoutMs' | 'pollIntervalMs'
> = {
  backoffMs: 250,
  maxBackoffMs: 30_000,
  // The API server sends a bookmark about once a minute; three missed ones mean the connection is gone.
  idleTimeoutMs: 3 * 60_000 + 10_000,
};

/** Where the informer stands; `failure` is the last attempt's error while it keeps failing. */
export type InformerState =
  | 'listing'
  | 'watching'
  | 'polling'
  | 'forbidden'
  | 'absent'
  | 'malformed';

export interface InformerChange {
  key: ResourceKey;
  /** The records were replaced by a (re)list, or one object changed. */
  relist: boolean;
}

export class ResourceInformer {
  readonly key: ResourceKey;
  readonly spec: ResourceSpec;
  readonly #client: KubeClient;
  readonly #logger: LoggerService;
  readonly #settings: InformerSettings;
  readonly #onChange: (change: InformerChange) => void;
  #records = new Map<string, ObjectRecord>();
  #sortedKeys: string[] | undefined;
  #resourceVersion = '';
  #version: string | undefined;
  #state: InformerState = 'listing';
  #failure: KubeApiError | undefined;
  #listed = false;
  #listMalformed: MalformedObject | undefined;
  #watchForbiddenLogged = false;
  #nameless = 0;
  /** Events the last watch delivered before it ended or broke. */
  #delivered = 0;
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;
  #firstList: Promise<void>;
  #resolveFirstList!: () => void;

  constructor(options: {
    key: ResourceKey;
    spec: ResourceSpec;
    client: KubeClient;
    logger: LoggerService;
    settings: InformerSettings;
    onChange: (change: InformerChange) => void;
  }) {
    this.key = options.key;
    this.spec = options.spec;
    this.#client = options.client;
    this.#logger = options.logger;
    this.#settings = options.settings;
    this.#onChange = options.onChange;
    this.#firstList = new Promise(resolve => {
      this.#resolveFirstList = resolve;
    });
  }

  get state(): InformerState {
    return this.#state;
  }

  /** The last attempt's error, while attempts keep failing (cleared by the next list or watch that starts). */
  get failure(): KubeApiError | undefined {
    return this.#failure;
  }

  /** Listed at least once: the records are the resource's, not an empty start. */
  get listed(): boolean {
    return this.#listed;
  }

  /** The watch is forbidden, so the resource is listed every poll interval instead. */
  get polled(): boolean {
    return this.#state === 'polling';
  }

  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  /** The list was not a list response (recorded as a malformed object, as the list path does). */
  get listMalformed(): MalformedObject | undefined {
    return this.#listMalformed;
  }

  /** The records, in key order (the order a list returns them in). */
  records(): ObjectRecord[] {
    this.#sortedKeys ??= [...this.#records.keys()].sort();
    return this.#sortedKeys.map(k => this.#records.get(k));
  }

  get size(): number {
    return this.#records.size;
  }

  /** Resolves once the first list is done, whatever it gave (records, forbidden, absent, failed). */
  firstList(): Promise<void> {
    return this.#firstList;
  }

  start(): void {
    this.#running ??= this.#run().catch(error =>
      this.#logger.error(
        `Watching ${this.spec.resource} stopped on an unexpected error: ${error}`,
      ),
    );
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!this.#resourceVersion || this.#state === 'polling') {
          await this.#list(signal);
          failures = 0;
          if (this.#state !== 'watching') {
            // Polled (watch forbidden), forbidden, not installed or not a list: look again next interval.
            await sleep(this.#settings.pollIntervalMs, signal);
            continue;
          }
        }
        const ended = await this.#watch(signal);
        if (ended === 'events') failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        if (!this.#failed(error)) continue;
        // A watch cut after it delivered events worked: the next one starts from a short delay again.
        if (this.#delivered > 0) failures = 0;
        failures++;
        await sleep(
          Math.min(
            this.#settings.maxBackoffMs,
            backoffMs(this.#settings.backoffMs, failures),
          ),
          signal,
        );
      }
    }
  }

  /**
   * Handles a failed list or watch. Returns true to back off before the next attempt, false to go on at once.
   */
  #failed(error: unknown): boolean {
    if (!isKubeApiError(error)) {
      this.#failure = new KubeApiError(
        `Watching ${this.spec.resource}: ${error}`,
        {},
      );
      return true;
    }
    const { statusCode, reason } = error.details;
    if (statusCode === 410 || reason === 'Expired' || reason === 'Gone') {
      this.#resourceVersion = '';
      return false;
    }
    if (error.details.reason === 'Watch' && statusCode === 403) {
      // The list works, the watch is refused: poll this resource.
      this.#state = 'polling';
      if (!this.#watchForbiddenLogged) {
        this.#watchForbiddenLogged = true;
        this.#logger.warn(
          `Watching ${this.#groupResource()} is forbidden (403): it is listed every ${Math.round(
            this.#settings.pollIntervalMs / 1000,
          )}s instead. To watch it, grant the verb "watch" on it to the plugin's service account. ${
            error.message
          }`,
        );
      }
      return false;
    }
    // A failure before the stream opened (or of a list): reported with the cluster until an attempt works, and
    // announced once, so that the cluster is published stale without waiting for the schedule.
    if (!error.details.reason?.startsWith('Cut')) {
      const first = !this.#failure;
      this.#failure = error;
      if (first && this.#listed)
        this.#onChange({ key: this.key, relist: false });
    }
    return true;
  }

  #groupResource(): string {
    return this.spec.group
      ? `${this.spec.resource}.${this.spec.group}`
      : this.spec.resource;
  }

  /** Lists the resource (trying the next API version on 404) into fresh records, which replace the old ones. */
  async #list(signal: AbortSignal): Promise<void> {
    const previousState = this.#state;
    let notFound: KubeApiError | undefined;
    const versions = this.#version ? [this.#version] : this.spec.versions;
    try {
      for (const version of versions) {
        const records = new Map<string, ObjectRecord>();
        const timeout = AbortSignal.timeout(this.#settings.requestTimeoutMs);
        const path = listPath(this.spec, version);
        const listSignal = AbortSignal.any([signal, timeout]);
        const listOptions = {
          labelSelector: this.spec.labelSelector,
          metadataOnly: this.spec.metadataOnly,
          signal: listSignal,
        };
        const onPage = (items: unknown[]) => {
          for (const item of items) this.#put(records, item);
        };
        let result: { resourceVersion?: string } | void;
        try {
          result = await withSignal(
            listSignal,
            path,
            this.#settings.requestTimeoutMs,
            () =>
              this.#client.listPages
                ? this.#client.listPages(path, listOptions, onPage)
                : this.#client.list(path, listOptions).then(onPage),
          );
        } catch (error) {
          if (isKubeApiError(error) && error.statusCode === 404) {
            notFound = error;
            continue;
          }
          if (
            isKubeApiError(error) &&
            error.details.reason === 'InvalidResponse' &&
            error.statusCode !== undefined &&
            error.statusCode < 300
          ) {
            // As the list path does: recorded, and nothing of it kept.
            this.#listMalformed = {
              kind: this.spec.kind,
              reason: `the ${this.spec.resource} list is not a valid list response`,
            };
            this.#replace(new Map(), '', version, 'malformed');
            return;
          }
          if (isKubeApiError(error) && error.statusCode === 403) {
            this.#failure = error;
            this.#replace(new Map(), '', version, 'forbidden');
            return;
          }
          throw error;
        }
        this.#listMalformed = undefined;
        this.#failure = undefined;
        this.#replace(
          records,
          (result && result.resourceVersion) || '',
          version,
          previousState === 'polling' ? 'polling' : 'watching',
        );
        return;
      }
      // Every version 404: an optional custom resource is simply not installed.
      if (this.spec.optional) {
        this.#failure = undefined;
        this.#replace(new Map(), '', undefined, 'absent');
        return;
      }
      throw (
        notFound ??
        new KubeApiError(`${this.spec.resource}: no API version answered`, {})
      );
    } finally {
      this.#resolveFirstList();
    }
  }

  #replace(
    records: Map<string, ObjectRecord>,
    resourceVersion: string,
    version: string | undefined,
    state: InformerState,
  ): void {
    // The first list is what the refresh that started the informer reads: nothing to announce.
    const changed =
      this.#listed && (this.#records.size > 0 || records.size > 0);
    this.#records = records;
    this.#sortedKeys = undefined;
    this.#resourceVersion = resourceVersion;
    this.#version = version;
    this.#state = state;
    this.#listed = true;
    if (changed) this.#onChange({ key: this.key, relist: true });
  }

  #put(records: Map<string, ObjectRecord>, item: unknown): boolean {
    // An object without a name cannot be changed or deleted by a watch event: kept until the next list.
    const key = objectKey(item) ?? `\0${this.#nameless++}`;
    const record = recordOf(item);
    if (!records.has(key)) this.#sortedKeys = undefined;
    records.set(key, record);
    return true;
  }

  /**
   * One watch from the current resourceVersion. Returns how it ended cleanly ('events': it delivered some,
   * 'quiet': it did not); throws on a failure, a cut connection (reason Cut) or a 410.
   */
  async #watch(signal: AbortSignal): Promise<'events' | 'quiet'> {
    const path = listPath(this.spec, this.#version ?? this.spec.versions[0]);
    let events = 0;
    this.#delivered = 0;
    let gone: KubeApiError | undefined;
    let opened = false;
    try {
      await this.#client.watch!(
        path,
        {
          resourceVersion: this.#resourceVersion,
          labelSelector: this.spec.labelSelector,
          metadataOnly: this.spec.metadataOnly,
          allowWatchBookmarks: true,
          // Spread over 5–10 minutes, as client-go does, so that the watches of a fleet do not renew together.
          timeoutSeconds: Math.round(300 * (1 + Math.random())),
          idleTimeoutMs: this.#settings.idleTimeoutMs,
          signal,
          onOpen: () => {
            opened = true;
            const recovered = this.#failure !== undefined;
            this.#failure = undefined;
            this.#state = 'watching';
            // Back after failures, with the records as they were: published as no longer stale.
            if (recovered) this.#onChange({ key: this.key, relist: false });
          },
        },
        event => {
          if (this.#apply(event)) this.#delivered = ++events;
          if (event.type === 'ERROR') gone ??= statusOf(path, event.object);
        },
      );
    } catch (error) {
      if (isKubeApiError(error) && error.statusCode === 403 && !opened) {
        throw new KubeApiError(error.message, {
          ...error.details,
          reason: 'Watch',
        });
      }
      if (opened && isKubeApiError(error) && error.isNetworkError) {
        // Cut mid-stream: resume from the last resourceVersion (with backoff), not a failure of the cluster.
        throw new KubeApiError(error.message, {
          ...error.details,
          reason: `Cut${
            error.details.reason ? `: ${error.details.reason}` : ''
          }`,
        });
      }
      throw error;
    }
    if (gone) throw gone;
    return events > 0 ? 'events' : 'quiet';
  }

  /** Applies one event; true when the records changed. */
  #apply(event: KubeWatchEvent): boolean {
    const meta = event.object.metadata as
      | { resourceVersion?: unknown }
      | undefined;
    const rv =
      typeof meta?.resourceVersion === 'string' ? meta.resourceVersion : '';
    if (event.type === 'BOOKMARK') {
      if (rv) this.#resourceVersion = rv;
      return false;
    }
    if (event.type === 'ERROR') return false;
    const key = objectKey(event.object);
    if (!key) return false;
    let changed: boolean;
    if (event.type === 'DELETED') {
      changed = this.#records.delete(key);
      if (changed) this.#sortedKeys = undefined;
    } else changed = this.#put(this.#records, event.object);
    if (rv) this.#resourceVersion = rv;
    if (changed) this.#onChange({ key: this.key, relist: false });
    return changed;
  }
}

/** The Status of an ERROR event as a KubeApiError (410 Expired: list again). */
function statusOf(path: string, status: Record<string, unknown>): KubeApiError {
  const code = typeof status.code === 'number' ? status.code : undefined;
  return new KubeApiError(
    `WATCH ${path}: ${code ?? ''} ${
      typeof status.message === 'string' ? status.message : 'error event'
    }`.trim(),
    {
      path,
      statusCode: code,
      reason: typeof status.reason === 'string' ? status.reason : undefined,
    },
  );
}

/** Runs a request that `signal` aborts, turning a timeout into the per-cluster timeout's message. */
async function withSignal<T>(
  signal: AbortSignal,
  path: string,
  timeoutMs: number,
  run: () => Promise<T>,
): Promise<T> {
  let abort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    abort = () =>
      reject(
        new KubeApiError(`GET ${path}: timed out after ${timeoutMs / 1000}s`, {
          path,
          code: 'ETIMEDOUT',
        }),
      );
    signal.addEventListener('abort', abort, { once: true });
  });
  aborted.catch(() => {});
  try {
    return await Promise.race([run(), aborted]);
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
