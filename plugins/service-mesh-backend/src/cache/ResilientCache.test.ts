import { mockServices } from '@backstage/backend-test-utils';
import { CacheService } from '@backstage/backend-plugin-api';
import { ResilientCache } from './ResilientCache';

/** A CacheService as Keyv presents a lost Redis: misses (errors swallowed), or calls that never answer. */
function flakyCache() {
  const data = new Map<string, unknown>();
  const state = { mode: 'up' as 'up' | 'misses' | 'hangs', calls: 0 };
  const never = new Promise<never>(() => {});
  const cache: CacheService = {
    get: async (key: string) => {
      state.calls++;
      if (state.mode === 'hangs') return never;
      return state.mode === 'up' ? (data.get(key) as any) : undefined;
    },
    set: async (key: string, value: unknown) => {
      state.calls++;
      if (state.mode === 'hangs') await never;
      if (state.mode === 'up') data.set(key, value);
    },
    delete: async (key: string) => {
      data.delete(key);
    },
    withOptions: () => cache,
  } as CacheService;
  return { cache, state, data };
}

describe('ResilientCache', () => {
  it('shares values while the store works, and keeps them in process once it is lost, with one warning', async () => {
    let now = 0;
    const logger = mockServices.logger.mock();
    const { cache, state } = flakyCache();
    const c = new ResilientCache({
      cache,
      logger,
      storeName: 'redis',
      timeoutMs: 20,
      probeIntervalMs: 1000,
      now: () => now,
    });
    await c.set('a', { v: 1 }, 60_000);
    await c.settled();
    expect(await c.get('a')).toEqual({ v: 1 });
    expect(c.health()).toEqual({ status: 'ok', store: 'redis' });

    // Redis goes away; Keyv answers every call as a miss. The next probe notices, once.
    state.mode = 'misses';
    now += 1000;
    await c.set('b', { v: 2 }, 60_000);
    await c.settled();
    expect(c.health()).toMatchObject({
      status: 'degraded',
      error: 'the redis cache did not return what was written to it',
    });
    const callsWhenLost = state.calls;
    for (let i = 0; i < 100; i++) {
      expect(await c.get('b')).toEqual({ v: 2 }); // from this process
      await c.set(`k${i}`, i, 60_000);
    }
    // Requests do not touch the lost store (only the probe, at most once per interval, which is not due).
    expect(state.calls).toBe(callsWhenLost);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain(
      'The redis cache is unavailable',
    );

    // Back: the next probe says so, once, and values are shared again.
    state.mode = 'up';
    now += 1000;
    await c.get('b');
    await c.settled();
    expect(c.health()).toEqual({ status: 'ok', store: 'redis' });
    expect(logger.info).toHaveBeenCalledWith(
      'The redis cache works again; sharing cached values across replicas',
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('never waits on a store that does not answer', async () => {
    const logger = mockServices.logger.mock();
    const { cache, state } = flakyCache();
    const c = new ResilientCache({
      cache,
      logger,
      timeoutMs: 10,
      probeIntervalMs: 60_000,
    });
    await c.set('a', 1, 60_000);
    await c.settled();
    state.mode = 'hangs';
    // Resolves (from the process) although the store never answers.
    await expect(c.get('a')).resolves.toBe(1);
    expect(c.health()).toMatchObject({
      status: 'degraded',
      error: 'no answer within 10 ms',
    });
    await expect(c.get('a')).resolves.toBe(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('expires values kept in process and bounds their number', async () => {
    let now = 0;
    const { cache, state } = flakyCache();
    state.mode = 'misses';
    const c = new ResilientCache({
      cache,
      logger: mockServices.logger.mock(),
      maxLocalEntries: 2,
      now: () => now,
    });
    await c.set('a', 1, 100);
    await c.set('b', 2, 100);
    await c.set('c', 3, 100);
    await c.settled();
    expect(await c.get('a')).toBeUndefined(); // dropped: the oldest
    expect(await c.get('c')).toBe(3);
    now += 100;
    expect(await c.get('c')).toBeUndefined(); // expired
  });
});
