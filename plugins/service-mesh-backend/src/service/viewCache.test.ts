import { mockCredentials } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { gunzipSync } from 'node:zlib';
import { EntityLookupCache, SnapshotViewCache } from './viewCache';

describe('SnapshotViewCache', () => {
  it('builds a view once per snapshot and key', () => {
    const cache = new SnapshotViewCache();
    const a = {};
    const b = {};
    const build = jest.fn(() => ({ n: 1 }));
    expect(cache.json(a, 'overview', build)).toBe('{"n":1}');
    expect(cache.json(a, 'overview', build)).toBe('{"n":1}');
    expect(build).toHaveBeenCalledTimes(1);
    cache.json(b, 'overview', build);
    cache.json(a, 'entity', build);
    expect(build).toHaveBeenCalledTimes(3);
  });

  it('drops the least recently used views past its size, and never caches a failed build', () => {
    const cache = new SnapshotViewCache(20);
    const snapshot = {};
    const build = jest.fn((n: number) => ({ n }));
    cache.json(snapshot, 'a', () => build(1)); // 7 bytes
    cache.json(snapshot, 'b', () => build(2));
    cache.json(snapshot, 'a', () => build(1)); // a is now the most recent
    cache.json(snapshot, 'c', () => build(3)); // 21 bytes: b goes
    expect(build).toHaveBeenCalledTimes(3);
    cache.json(snapshot, 'a', () => build(1));
    expect(build).toHaveBeenCalledTimes(3);
    cache.json(snapshot, 'b', () => build(2));
    expect(build).toHaveBeenCalledTimes(4);
    expect(() =>
      cache.json(snapshot, 'bad', () => {
        throw new Error('invalid selector');
      }),
    ).toThrow('invalid selector');
    expect(() =>
      cache.json(snapshot, 'bad', () => {
        throw new Error('invalid selector');
      }),
    ).toThrow('invalid selector');
  });
});

describe('SnapshotViewCache.send', () => {
  const snapshot = {};
  const cache = new SnapshotViewCache();
  const build = jest.fn(() => ({
    items: Array.from({ length: 200 }, (_, i) => i),
  }));
  const app = express().get('/view', (req, res) =>
    cache.send(req, res, snapshot, 'view', build),
  );

  it('sends JSON, gzipped once for clients that accept it, with an ETag that answers 304', async () => {
    const plain = await request(app)
      .get('/view')
      .set('Accept-Encoding', 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/application\/json/);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.items).toHaveLength(200);

    const gzipped = await request(app)
      .get('/view')
      .set('Accept-Encoding', 'gzip, deflate, br')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    // supertest may have decoded it already; either way the JSON is the same
    const body = gzipped.body as Buffer;
    const text =
      body[0] === 0x1f ? gunzipSync(body).toString() : body.toString();
    expect(JSON.parse(text)).toEqual(plain.body);

    const etag = plain.headers.etag;
    expect(etag).toMatch(/^W\/"/);
    const again = await request(app).get('/view').set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(build).toHaveBeenCalledTimes(1);
  });
});

describe('EntityLookupCache', () => {
  const entity = {
    apiVersion: 'v1',
    kind: 'Component',
    metadata: { name: 'x' },
  };

  it('looks an entity up once per caller within the TTL, and again after it', async () => {
    let now = 0;
    const catalog = { getEntityByRef: jest.fn(async () => entity) };
    const cache = new EntityLookupCache(catalog as any, 1000, 100, () => now);
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    await expect(cache.get('component:default/x', alice)).resolves.toBe(entity);
    await cache.get('component:default/x', alice);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    // Another caller has its own entry: the catalog decides what each may read.
    await cache.get('component:default/x', bob);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    expect(catalog.getEntityByRef).toHaveBeenLastCalledWith(
      'component:default/x',
      { credentials: bob },
    );
    now = 1000;
    await cache.get('component:default/x', alice);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
  });

  it('does not remember a failed lookup, and stays within its size', async () => {
    const catalog = {
      getEntityByRef: jest
        .fn()
        .mockRejectedValueOnce(new Error('catalog down'))
        .mockResolvedValue(entity),
    };
    const cache = new EntityLookupCache(catalog as any, 60_000, 2);
    const alice = mockCredentials.user('user:default/alice');
    await expect(cache.get('component:default/x', alice)).rejects.toThrow(
      'catalog down',
    );
    await expect(cache.get('component:default/x', alice)).resolves.toBe(entity);
    await cache.get('component:default/y', alice);
    await cache.get('component:default/z', alice);
    await cache.get('component:default/x', alice); // evicted: looked up again
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(5);
  });

  it('serves the last good answer while the catalog fails, for a while', async () => {
    let now = 0;
    let down = false;
    const catalog = {
      getEntityByRef: jest.fn(async () => {
        if (down) throw new Error('catalog down');
        return entity;
      }),
    };
    const cache = new EntityLookupCache(
      catalog as any,
      1000,
      100,
      () => now,
      60_000,
    );
    const alice = mockCredentials.user('user:default/alice');
    await expect(cache.get('component:default/x', alice)).resolves.toBe(entity);
    down = true;
    now += 5000; // expired: asks the catalog, which fails, and answers from the last lookup
    await expect(cache.get('component:default/x', alice)).resolves.toBe(entity);
    await expect(cache.get('component:default/x', alice)).resolves.toBe(entity);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    // Another caller has no answer of its own to fall back on.
    const bob = mockCredentials.user('user:default/bob');
    await expect(cache.get('component:default/x', bob)).rejects.toThrow(
      'catalog down',
    );
    // Past staleIfErrorMs the failure shows.
    now += 60_000;
    await expect(cache.get('component:default/x', alice)).rejects.toThrow(
      'catalog down',
    );
    down = false;
    await expect(cache.get('component:default/x', alice)).resolves.toBe(entity);
  });
});
