/*
 * Request-path caches. The views (overview, an entity's view) are pure functions of the snapshot, so each is
 * built and serialised once per snapshot and then served as text: page views cost neither the clusters nor the
 * analysis anything. The catalog lookup of an entity is cached briefly per caller, as it is the costliest part of
 * an entity request that remains (an HTTP round trip to the catalog with its own permission check).
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** A serialised view, its validator, and (once a client asked for it) its gzipped form. */
export interface CachedView {
  json: string;
  etag: string;
  gzip?: Buffer;
}

/** Serialised views per snapshot, least recently used dropped first past `maxBytes` (per snapshot). */
export class SnapshotViewCache {
  readonly #bySnapshot = new WeakMap<
    object,
    { entries: Map<string, CachedView>; bytes: number }
  >();

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  /** The view of `build()` for this snapshot and key, built and serialised on first use. */
  view(snapshot: object, key: string, build: () => unknown): CachedView {
    let memo = this.#bySnapshot.get(snapshot);
    if (!memo) {
      memo = { entries: new Map(), bytes: 0 };
      this.#bySnapshot.set(snapshot, memo);
    }
    const hit = memo.entries.get(key);
    if (hit !== undefined) {
      memo.entries.delete(key);
      memo.entries.set(key, hit);
      return hit;
    }
    const json = JSON.stringify(build());
    const etag = `W/"${createHash('sha1').update(json).digest('base64url')}"`;
    const view: CachedView = { json, etag };
    memo.entries.set(key, view);
    memo.bytes += json.length;
    this.#evict(memo);
    return view;
  }

  /** The JSON of a view (see `view`). */
  json(snapshot: object, key: string, build: () => unknown): string {
    return this.view(snapshot, key, build).json;
  }

  /**
   * Sends a view: gzipped once and then as stored to clients that accept it (browsers do; the compression
   * middleware leaves an encoded body alone), with an ETag so that a poll of an unchanged view gets a 304.
   */
  send(
    req: Request,
    res: Response,
    snapshot: object,
    key: string,
    build: () => unknown,
  ): void {
    const view = this.view(snapshot, key, build);
    res.type('application/json');
    res.setHeader('ETag', view.etag);
    res.vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      if (!view.gzip) {
        view.gzip = gzipSync(view.json);
        const memo = this.#bySnapshot.get(snapshot);
        if (memo) memo.bytes += view.gzip.length;
      }
      res.setHeader('Content-Encoding', 'gzip');
      res.send(view.gzip);
      return;
    }
    res.send(view.json);
  }

  #evict(memo: { entries: Map<string, CachedView>; bytes: number }): void {
    for (const [oldest, value] of memo.entries) {
      if (memo.bytes <= this.maxBytes || memo.entries.size <= 1) break;
      memo.entries.delete(oldest);
      memo.bytes -= value.json.length + (value.gzip?.length ?? 0);
    }
  }
}

/**
 * Catalog lookups by entity ref, per caller, for `ttlMs`; concurrent lookups of the same entity share one call.
 * A caller who loses read access to an entity keeps seeing its mesh view for at most `ttlMs`. When the catalog
 * fails (its database is down, say), the caller's last answer is served for up to `staleIfErrorMs` instead.
 */
export class EntityLookupCache {
  readonly #entries = new Map<
    string,
    {
      at: number;
      entity: Promise<Entity | undefined>;
      /** The last answer the catalog gave this caller, and when. */
      good?: { at: number; entity: Entity | undefined };
    }
  >();

  constructor(
    private readonly catalog: CatalogService,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 5000,
    private readonly now: () => number = Date.now,
    private readonly staleIfErrorMs = 10 * 60_000,
  ) {}

  get(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const key = `${JSON.stringify(credentials.principal)}\n${entityRef}`;
    const now = this.now();
    const cached = this.#entries.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.entity;
    const good = cached?.good;
    const lookup = this.catalog.getEntityByRef(entityRef, { credentials });
    const entity = lookup.then(
      found => {
        const entry = this.#entries.get(key);
        if (entry?.entity === entity)
          entry.good = { at: this.now(), entity: found };
        return found;
      },
      error => {
        // A failed lookup is not remembered; the last good answer stands in while it is recent.
        if (this.#entries.get(key)?.entity === entity) {
          if (good)
            this.#entries.set(key, {
              at: -Infinity,
              entity: Promise.resolve(good.entity),
              good,
            });
          else this.#entries.delete(key);
        }
        if (good && this.now() - good.at < this.staleIfErrorMs)
          return good.entity;
        throw error;
      },
    );
    this.#entries.delete(key);
    this.#entries.set(key, { at: now, entity, good });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
    }
    return entity;
  }
}
