/*
 * The snapshot in the plugin's own database tables, shared by every replica that uses the same database (which
 * the scheduler's global tasks need anyway). A snapshot is written as a new generation of gzipped chunks first;
 * then one manifest row is switched to it in a transaction, so a reader sees the previous generation or the new
 * one, never a half-written one. Each replica keeps the decoded snapshot in memory and reads the manifest row
 * (a primary-key lookup) once per polling period, in the background; it reloads the chunks only when the
 * generation changes. A request never reads the chunks, and never serves a copy older than the polling period.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { MESH_SNAPSHOT_SCHEMA_VERSION } from '@internal/plugin-service-mesh-common';
import { randomUUID } from 'node:crypto';
import {
  CHUNKS_TABLE,
  Knex,
  LEASE_TABLE,
  MANIFEST_TABLE,
  migrateSnapshotTables,
} from './database/migrations';
import {
  decodeSnapshot,
  DEFAULT_CHUNK_BYTES,
  encodeSnapshot,
  SNAPSHOT_ENCODING,
} from './snapshotCodec';
import {
  RefreshSupersededError,
  SnapshotStore,
  SnapshotStoreGetOptions,
  SnapshotStoreHealth,
  SnapshotStoreSetOptions,
  StoredSnapshot,
} from './SnapshotStore';

const MANIFEST_ID = 'current';
const LEASE_ID = 'refresh';

/** A manifest row as read. */
export interface SnapshotManifest {
  generation: string;
  previousGeneration?: string;
  sequence: number;
  schemaVersion: number;
  encoding: string;
  chunkCount: number;
  rawBytes: number;
  storedBytes: number;
  sha256: string;
  generatedAt: string;
  writtenBy: string;
  writtenAtMs: number;
}

export interface DatabaseSnapshotStoreOptions {
  knex: Knex;
  logger: LoggerService;
  /** Skip the migrations (read-only database, `backend.database.migrations.skip`). */
  skipMigrations?: boolean;
  /** How often the manifest is read (in the background with `startPolling`, else by `get`). Default 2000 ms. */
  pollIntervalMs?: number;
  /** Bytes per chunk row. Default 512 KiB. */
  chunkBytes?: number;
  /** Identifies this replica in the manifest (`written_by`). */
  owner?: string;
  /**
   * Generations other than the current and the previous one are deleted once older than this; it protects a
   * generation that another replica is still writing. Default 10 minutes.
   */
  garbageAfterMs?: number;
  /**
   * Called once per discarded generation: one an older version of the plugin wrote, a corrupt or incomplete one,
   * or one of a newer format that no replica has refreshed for `garbageAfterMs` (a rolled-back upgrade). Time to
   * refresh: the next publication replaces it.
   */
  onOutdatedSnapshot?: () => void;
  /** Attempts of a publication whose database writes fail (backoff with jitter in between). Default 5. */
  writeAttempts?: number;
  /** First backoff delay; doubled per attempt, up to 8 times, each with ±50% jitter. Default 500 ms. */
  writeBackoffMs?: number;
  /** The snapshot format this reader understands (tests). Default `MESH_SNAPSHOT_SCHEMA_VERSION`. */
  schemaVersion?: number;
  now?: () => number;
}

interface Loaded {
  generation: string;
  manifest: SnapshotManifest;
  value: StoredSnapshot;
}

export class DatabaseSnapshotStore implements SnapshotStore {
  readonly #knex: Knex;
  readonly #logger: LoggerService;
  readonly #pollIntervalMs: number;
  readonly #chunkBytes: number;
  readonly #owner: string;
  readonly #garbageAfterMs: number;
  readonly #onOutdated?: () => void;
  readonly #schemaVersion: number;
  readonly #now: () => number;
  readonly #lockRows: boolean;
  #loaded: Loaded | undefined;
  #checkedAt = -Infinity;
  #checking: Promise<void> | undefined;
  #poller: NodeJS.Timeout | undefined;
  #failing = false;
  #writeFailing = false;
  #lastError: { message: string; since: number } | undefined;
  readonly #writeAttempts: number;
  readonly #writeBackoffMs: number;
  /** Counts this replica's own publications, so a slower concurrent read never replaces one. */
  #publications = 0;
  /** Generations already reported as unusable, so each is logged once. */
  readonly #rejected = new Set<string>();

  static async create(
    options: DatabaseSnapshotStoreOptions,
  ): Promise<DatabaseSnapshotStore> {
    if (!options.skipMigrations) await migrateSnapshotTables(options.knex);
    return new DatabaseSnapshotStore(options);
  }

  private constructor(options: DatabaseSnapshotStoreOptions) {
    this.#knex = options.knex;
    this.#logger = options.logger;
    this.#pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.#chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.#owner = options.owner ?? 'unknown';
    this.#garbageAfterMs = options.garbageAfterMs ?? 10 * 60_000;
    this.#onOutdated = options.onOutdatedSnapshot;
    this.#schemaVersion = options.schemaVersion ?? MESH_SNAPSHOT_SCHEMA_VERSION;
    this.#now = options.now ?? Date.now;
    this.#writeAttempts = Math.max(1, options.writeAttempts ?? 5);
    this.#writeBackoffMs = options.writeBackoffMs ?? 500;
    const client = String(this.#knex.client.config.client);
    this.#lockRows = client === 'pg' || client.includes('mysql');
  }

  async get(
    options: SnapshotStoreGetOptions = {},
  ): Promise<StoredSnapshot | undefined> {
    // With the background poller running the check is rarely due here, so requests are answered from memory.
    if (
      options.latest ||
      !this.#loaded ||
      this.#now() - this.#checkedAt >= this.#pollIntervalMs
    ) {
      await this.#check();
    }
    return this.#loaded?.value;
  }

  /** Reads the manifest once per polling period in the background, so new generations load before requests. */
  startPolling(): void {
    if (this.#poller || this.#pollIntervalMs <= 0) return;
    this.#poller = setInterval(() => {
      if (this.#now() - this.#checkedAt >= this.#pollIntervalMs / 2) {
        this.#check();
      }
    }, this.#pollIntervalMs);
    this.#poller.unref();
  }

  stopPolling(): void {
    clearInterval(this.#poller);
    this.#poller = undefined;
  }

  /** The manifest of the generation held in memory (for logs, tests and the production test's checks). */
  get manifest(): SnapshotManifest | undefined {
    return this.#loaded?.manifest;
  }

  /** The database as this replica last found it (never queries). */
  health(): SnapshotStoreHealth {
    const failing = this.#failing || this.#writeFailing;
    return {
      status: failing ? 'failing' : 'ok',
      ...(failing && this.#lastError
        ? {
            error: this.#lastError.message,
            failingSince: new Date(this.#lastError.since).toISOString(),
          }
        : {}),
      hasSnapshot: this.#loaded !== undefined,
      ...(this.#loaded ? { sequence: this.#loaded.manifest.sequence } : {}),
    };
  }

  /**
   * Publishes a snapshot. Database failures are retried with exponential backoff and jitter (`writeAttempts`),
   * while the snapshot in memory keeps being served; a run that lost its lease, or whose signal aborts, stops.
   */
  async set(
    value: StoredSnapshot,
    options: SnapshotStoreSetOptions = {},
  ): Promise<void> {
    const encoded = await encodeSnapshot(value, this.#chunkBytes);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#publish(value, encoded, options);
        this.#recovered('write');
        return;
      } catch (error) {
        if (error instanceof RefreshSupersededError) throw error;
        this.#failed('write', error);
        options.signal?.throwIfAborted();
        if (attempt >= this.#writeAttempts) throw error;
        const delayMs = backoffMs(this.#writeBackoffMs, attempt);
        this.#logger.debug(
          `Publishing the mesh snapshot failed (attempt ${attempt} of ${
            this.#writeAttempts
          }), retrying in ${delayMs} ms: ${error}`,
        );
        await sleep(delayMs, options.signal);
      }
    }
  }

  async #publish(
    value: StoredSnapshot,
    encoded: Awaited<ReturnType<typeof encodeSnapshot>>,
    options: SnapshotStoreSetOptions,
  ): Promise<void> {
    const generation = randomUUID();
    const createdAtMs = this.#now();
    // 1. The chunks, under a generation nobody reads yet. A writer that dies here leaves only garbage.
    for (let i = 0; i < encoded.chunks.length; i++) {
      await this.#knex(CHUNKS_TABLE).insert({
        generation,
        seq: i,
        data: encoded.chunks[i],
        created_at_ms: createdAtMs,
      });
    }
    const manifest: SnapshotManifest = {
      generation,
      sequence: 0,
      schemaVersion: this.#schemaVersion,
      encoding: SNAPSHOT_ENCODING,
      chunkCount: encoded.chunks.length,
      rawBytes: encoded.rawBytes,
      storedBytes: encoded.storedBytes,
      sha256: encoded.sha256,
      generatedAt: value.snapshot.generatedAt,
      writtenBy: this.#owner,
      writtenAtMs: createdAtMs,
    };

    // 2. The switch: one row, in a transaction that also checks that this run still holds the refresh lease.
    let published: SnapshotManifest | undefined;
    let replaced: SnapshotManifest | undefined;
    try {
      published = await this.#knex.transaction(async trx => {
        if (options.runId !== undefined) {
          let leaseQuery = trx(LEASE_TABLE).where({ id: LEASE_ID });
          if (this.#lockRows) leaseQuery = leaseQuery.forUpdate();
          const lease = await leaseQuery.first();
          if (!lease || lease.run_id !== options.runId || !!lease.finished) {
            throw new RefreshSupersededError(
              `refresh run ${options.runId} no longer holds the refresh lease`,
            );
          }
        }
        let currentQuery = trx(MANIFEST_TABLE).where({ id: MANIFEST_ID });
        if (this.#lockRows) currentQuery = currentQuery.forUpdate();
        const currentRow = await currentQuery.first();
        const current = currentRow ? toManifest(currentRow) : undefined;
        replaced = current;
        if (current && this.#newerFormatInUse(current)) {
          // Never downgrade: during a rolling upgrade the newer replicas own the format.
          return undefined;
        }
        const next: SnapshotManifest = {
          ...manifest,
          sequence: (current?.sequence ?? 0) + 1,
          previousGeneration: current?.generation,
        };
        await trx(MANIFEST_TABLE)
          .insert(fromManifest(next))
          .onConflict('id')
          .merge();
        return next;
      });
    } catch (error) {
      await this.#deleteGeneration(generation);
      throw error;
    }
    if (!published) {
      await this.#deleteGeneration(generation);
      this.#logger.warn(
        `Not publishing the mesh snapshot: the store holds a snapshot of a newer format than ${
          this.#schemaVersion
        } (a newer version of the plugin runs on another replica)`,
      );
      return;
    }

    this.#loaded = { generation, manifest: published, value };
    this.#publications++;
    this.#checkedAt = this.#now();
    this.#logger.debug(
      `Published mesh snapshot generation ${published.sequence}: ${encoded.rawBytes} bytes of JSON stored as ${encoded.storedBytes} bytes in ${encoded.chunks.length} chunk(s)`,
    );
    await this.#collectGarbage(published, replaced).catch(error =>
      this.#logger.warn(`Failed to delete old snapshot generations: ${error}`),
    );
  }

  /** Looks at the manifest; loads the generation it names if it is new. Concurrent callers share one check. */
  #check(): Promise<void> {
    if (!this.#checking) {
      const startedAt = this.#now();
      this.#checking = this.#checkOnce()
        .then(() => this.#recovered('read'))
        .catch(error => {
          // Requests do not wait for the next attempt: the poller (or the next period) makes it.
          this.#checkedAt = startedAt;
          this.#failed('read', error);
        })
        .finally(() => {
          this.#checking = undefined;
        });
    }
    return this.#checking;
  }

  /** Logged once per outage (reads and writes each); the copy in memory is served meanwhile. */
  #failed(what: 'read' | 'write', error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#lastError = { message, since: this.#lastError?.since ?? this.#now() };
    const flag = what === 'read' ? this.#failing : this.#writeFailing;
    if (flag) return;
    if (what === 'read') this.#failing = true;
    else this.#writeFailing = true;
    this.#logger.warn(
      what === 'read'
        ? `Failed to read the mesh snapshot from the plugin database: ${message}; serving the snapshot in memory`
        : `Failed to publish the mesh snapshot to the plugin database: ${message}; retrying with backoff, serving the snapshot in memory`,
    );
  }

  #recovered(what: 'read' | 'write'): void {
    const flag = what === 'read' ? this.#failing : this.#writeFailing;
    if (!flag) return;
    if (what === 'read') this.#failing = false;
    else this.#writeFailing = false;
    if (!this.#failing && !this.#writeFailing) this.#lastError = undefined;
    this.#logger.info(
      what === 'read'
        ? 'Reading the mesh snapshot from the plugin database works again'
        : 'Publishing the mesh snapshot to the plugin database works again',
    );
  }

  async #checkOnce(): Promise<void> {
    // Two attempts: the generation can be replaced (and, much later, deleted) between the manifest and its chunks.
    for (let attempt = 1; ; attempt++) {
      const startedAt = this.#now();
      const publications = this.#publications;
      const row = await this.#knex(MANIFEST_TABLE)
        .where({ id: MANIFEST_ID })
        .first();
      if (!row) {
        this.#checkedAt = startedAt;
        return;
      }
      const manifest = toManifest(row);
      if (
        manifest.generation === this.#loaded?.generation ||
        this.#rejected.has(manifest.generation)
      ) {
        this.#checkedAt = startedAt;
        return;
      }
      if (!this.#usable(manifest)) {
        this.#checkedAt = startedAt;
        return;
      }
      const chunks = await this.#knex(CHUNKS_TABLE)
        .where({ generation: manifest.generation })
        .orderBy('seq')
        .select('seq', 'data');
      try {
        if (chunks.length !== manifest.chunkCount) {
          throw new Error(
            `${chunks.length} of ${manifest.chunkCount} chunks present`,
          );
        }
        const value = await decodeSnapshot(
          chunks.map(c => toBuffer(c.data)),
          manifest,
        );
        // A publication of this replica may have overtaken this read.
        if (publications === this.#publications) {
          this.#loaded = { generation: manifest.generation, manifest, value };
        }
        this.#checkedAt = startedAt;
        return;
      } catch (error) {
        if (attempt < 2) continue;
        this.#rejected.add(manifest.generation);
        this.#checkedAt = startedAt;
        this.#logger.error(
          `Ignoring mesh snapshot generation ${manifest.sequence} written by ${manifest.writtenBy}: ${error}; serving the one in memory until the next refresh replaces it`,
        );
        this.#onOutdated?.();
        return;
      }
    }
  }

  /**
   * A manifest of a newer format that a newer replica still keeps current: never overwritten (rolling upgrade).
   * One that nobody refreshed for `garbageAfterMs` was left by a version that is gone (a rolled-back upgrade).
   */
  #newerFormatInUse(manifest: SnapshotManifest): boolean {
    return (
      manifest.schemaVersion > this.#schemaVersion &&
      this.#now() - manifest.writtenAtMs < this.#garbageAfterMs
    );
  }

  /** A generation in another format is discarded (logged once); an older one also asks for a refresh. */
  #usable(manifest: SnapshotManifest): boolean {
    if (
      manifest.schemaVersion === this.#schemaVersion &&
      manifest.encoding === SNAPSHOT_ENCODING
    ) {
      return true;
    }
    this.#rejected.add(manifest.generation);
    const knownFormat =
      Number.isInteger(manifest.schemaVersion) && manifest.schemaVersion > 0;
    if (!knownFormat || !this.#newerFormatInUse(manifest)) {
      // Older, invalid, or newer but abandoned: the next refresh replaces it.
      const abandoned =
        knownFormat && manifest.schemaVersion > this.#schemaVersion;
      this.#logger.info(
        `Discarding the stored mesh snapshot (format ${
          manifest.schemaVersion
        }, encoding ${manifest.encoding}, written by ${
          manifest.writtenBy
        }): this version of the plugin reads format ${this.#schemaVersion}${
          abandoned
            ? ', and no replica of a newer version has refreshed it for a while'
            : ''
        }; a refresh is triggered`,
      );
      this.#onOutdated?.();
      return false;
    }
    this.#logger.warn(
      `Ignoring the stored mesh snapshot (format ${
        manifest.schemaVersion
      }, encoding ${manifest.encoding}, written by ${
        manifest.writtenBy
      }): this replica reads format ${
        this.#schemaVersion
      } and runs an older version of the plugin than the one that wrote it`,
    );
    return false;
  }

  /**
   * Deletes the generation that this publication made two steps old (readers may still be fetching the previous
   * one), and anything else but the current and the previous generation once it is older than `garbageAfterMs`:
   * chunks of writers that died before publishing, which a live writer's chunks never are.
   */
  async #collectGarbage(
    current: SnapshotManifest,
    replaced: SnapshotManifest | undefined,
  ): Promise<void> {
    const keep = [current.generation];
    if (current.previousGeneration) keep.push(current.previousGeneration);
    if (
      replaced?.previousGeneration &&
      !keep.includes(replaced.previousGeneration)
    ) {
      await this.#deleteGeneration(replaced.previousGeneration);
    }
    await this.#knex(CHUNKS_TABLE)
      .whereNotIn('generation', keep)
      .where('created_at_ms', '<', this.#now() - this.#garbageAfterMs)
      .delete();
  }

  async #deleteGeneration(generation: string): Promise<void> {
    await this.#knex(CHUNKS_TABLE)
      .where({ generation })
      .delete()
      .catch(() => {});
  }
}

function toManifest(row: any): SnapshotManifest {
  return {
    generation: row.generation,
    ...(row.previous_generation
      ? { previousGeneration: row.previous_generation }
      : {}),
    sequence: Number(row.sequence),
    schemaVersion: Number(row.schema_version),
    encoding: row.encoding,
    chunkCount: Number(row.chunk_count),
    rawBytes: Number(row.raw_bytes),
    storedBytes: Number(row.stored_bytes),
    sha256: row.sha256,
    generatedAt: row.generated_at,
    writtenBy: row.written_by,
    writtenAtMs: Number(row.written_at_ms),
  };
}

function fromManifest(m: SnapshotManifest) {
  return {
    id: MANIFEST_ID,
    generation: m.generation,
    previous_generation: m.previousGeneration ?? null,
    sequence: m.sequence,
    schema_version: m.schemaVersion,
    encoding: m.encoding,
    chunk_count: m.chunkCount,
    raw_bytes: m.rawBytes,
    stored_bytes: m.storedBytes,
    sha256: m.sha256,
    generated_at: m.generatedAt,
    written_by: m.writtenBy,
    written_at_ms: m.writtenAtMs,
  };
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data);
  throw new TypeError(`Unexpected chunk type ${typeof data}`);
}

/** Exponential backoff with ±50% jitter, so replicas that failed together do not retry together. */
export function backoffMs(baseMs: number, attempt: number): number {
  const exp = baseMs * 2 ** Math.min(attempt - 1, 8);
  return Math.round(exp * (0.5 + Math.random()));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
