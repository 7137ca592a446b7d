/*
 * Backstage's CacheService (Redis, Valkey, memcache or memory, per `backend.cache`) with a fallback: when the shared
 * store is lost, values are kept in process and requests never wait on it. Keyv, under the CacheService, turns
 * store errors into misses (or, while Redis reconnects, into commands that wait in its offline queue), so a loss
 * is detected by a bounded call and by a probe (write a nonce, read it back) at most once per `probeIntervalMs`.
 * One warning when the shared store is lost, one line when it is back; never one per request.
 */
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';

/** @public */
export interface ResilientCacheHealth {
  /** `degraded`: the shared store is lost, values live in this process only. */
  status: 'ok' | 'degraded';
  /** `backend.cache.store` (memory when unset). */
  store: string;
  error?: string;
  degradedSince?: string;
}

export interface ResilientCacheOptions {
  cache: CacheService;
  logger: LoggerService;
  /** `backend.cache.store`, for health and logs. */
  storeName?: string;
  /** A shared-store call that takes longer counts as a failure. Default 1000 ms. */
  timeoutMs?: number;
  /** While degraded, how often the shared store is probed again; while ok, at most how often it is probed. */
  probeIntervalMs?: number;
  /** Values kept in process (least recently written dropped first). Default 100. */
  maxLocalEntries?: number;
  now?: () => number;
}

class CacheTimeout extends Error {
  readonly name = 'CacheTimeout';
}

export class ResilientCache {
  readonly #cache: CacheService;
  readonly #logger: LoggerService;
  readonly #store: string;
  readonly #timeoutMs: number;
  readonly #probeIntervalMs: number;
  readonly #maxLocal: number;
  readonly #now: () => number;
  readonly #local = new Map<string, { value: unknown; expiresAt: number }>();
  #degraded: { error: string; since: number } | undefined;
  #probedAt = -Infinity;
  #probing: Promise<void> | undefined;

  constructor(options: ResilientCacheOptions) {
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#store = options.storeName ?? 'memory';
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#probeIntervalMs = options.probeIntervalMs ?? 10_000;
    this.#maxLocal = options.maxLocalEntries ?? 100;
    this.#now = options.now ?? Date.now;
  }

  health(): ResilientCacheHealth {
    return {
      status: this.#degraded ? 'degraded' : 'ok',
      store: this.#store,
      ...(this.#degraded
        ? {
            error: this.#degraded.error,
            degradedSince: new Date(this.#degraded.since).toISOString(),
          }
        : {}),
    };
  }

  /** The value from the shared store, else from this process; never throws, never waits past the timeout. */
  async get<T>(key: string): Promise<T | undefined> {
    this.#maybeProbe();
    if (!this.#degraded) {
      try {
        const shared = await this.#bounded(this.#cache.get(key));
        if (shared !== undefined) return shared as T;
      } catch (error) {
        this.#lost(error);
      }
    }
    return this.#getLocal<T>(key);
  }

  /** Stores in this process, and in the shared store unless it is lost. Never throws. */
  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.#setLocal(key, value, ttlMs);
    this.#maybeProbe();
    if (this.#degraded) return;
    await this.#bounded(
      this.#cache.set(key, value as any, { ttl: ttlMs }),
    ).catch(error => this.#lost(error));
  }

  /** Waits for a probe in progress (tests). */
  async settled(): Promise<void> {
    await this.#probing;
  }

  #maybeProbe(): void {
    if (this.#probing || this.#now() - this.#probedAt < this.#probeIntervalMs)
      return;
    this.#probedAt = this.#now();
    this.#probing = this.#probe().finally(() => {
      this.#probing = undefined;
    });
  }

  /** Writes a nonce and reads it back: Keyv reports a lost store as a miss, not as an error. */
  async #probe(): Promise<void> {
    const key = 'health-probe';
    const nonce = randomUUID();
    try {
      await this.#bounded(this.#cache.set(key, nonce, { ttl: 60_000 }));
      const read = await this.#bounded(this.#cache.get(key));
      if (read !== nonce) {
        throw new Error(
          `the ${this.#store} cache did not return what was written to it`,
        );
      }
      if (this.#degraded) {
        this.#degraded = undefined;
        this.#logger.info(
          `The ${
            this.#store
          } cache works again; sharing cached values across replicas`,
        );
      }
    } catch (error) {
      this.#lost(error);
    }
  }

  #lost(error: unknown): void {
    let message = error instanceof Error ? error.message : String(error);
    if (error instanceof CacheTimeout)
      message = `no answer within ${this.#timeoutMs} ms`;
    if (this.#degraded) return;
    this.#degraded = { error: message, since: this.#now() };
    this.#probedAt = this.#now();
    this.#logger.warn(
      `The ${
        this.#store
      } cache is unavailable (${message}); caching in this process until it is back`,
    );
  }

  async #bounded<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CacheTimeout()), this.#timeoutMs);
    });
    // A late rejection of the abandoned call must not surface as unhandled.
    promise.catch(() => undefined);
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #getLocal<T>(key: string): T | undefined {
    const entry = this.#local.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#local.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  #setLocal(key: string, value: unknown, ttlMs: number): void {
    this.#local.delete(key);
    this.#local.set(key, { value, expiresAt: this.#now() + ttlMs });
    for (const oldest of this.#local.keys()) {
      if (this.#local.size <= this.#maxLocal) break;
      this.#local.delete(oldest);
    }
  }
}
