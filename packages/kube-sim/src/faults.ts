// Fault settings of a cluster and the seeded RNG behind `errorRate`, so that a test run sees the same failures.
import type { ClusterFaults, IstiodFaults, WatchFaults } from './types.ts';
import { isObject } from './json.ts';

/** Checks and copies a faults object (from clusters.yaml or PUT /_sim/faults); throws on wrong types. */
export function normalizeFaults(value: unknown, where: string): ClusterFaults {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new Error(`${where}: faults must be an object`);
  const out: ClusterFaults = {};
  const known = new Set([
    'latencyMs',
    'down',
    'unauthorized',
    'forbidden',
    'errorRate',
    'istiod',
    'watch',
  ]);
  for (const key of Object.keys(value)) {
    if (!known.has(key))
      throw new Error(
        `${where}: unknown fault "${key}" (known: ${[...known].join(', ')})`,
      );
  }
  if (value.latencyMs !== undefined) {
    if (typeof value.latencyMs !== 'number' || value.latencyMs < 0)
      throw new Error(`${where}: latencyMs must be a number >= 0`);
    out.latencyMs = value.latencyMs;
  }
  for (const flag of ['down', 'unauthorized'] as const) {
    if (value[flag] !== undefined) {
      if (typeof value[flag] !== 'boolean')
        throw new Error(`${where}: ${flag} must be true or false`);
      out[flag] = value[flag];
    }
  }
  if (value.forbidden !== undefined) {
    if (
      !Array.isArray(value.forbidden) ||
      value.forbidden.some(f => typeof f !== 'string')
    ) {
      throw new Error(
        `${where}: forbidden must be a list of resource names such as "secrets" or "destinationrules.networking.istio.io"`,
      );
    }
    out.forbidden = [...value.forbidden];
  }
  if (value.errorRate !== undefined) {
    if (
      typeof value.errorRate !== 'number' ||
      value.errorRate < 0 ||
      value.errorRate > 1
    ) {
      throw new Error(`${where}: errorRate must be a number between 0 and 1`);
    }
    out.errorRate = value.errorRate;
  }
  if (value.istiod !== undefined)
    out.istiod = normalizeIstiodFaults(value.istiod, `${where}: istiod`);
  if (value.watch !== undefined)
    out.watch = normalizeWatchFaults(value.watch, `${where}: watch`);
  return out;
}

const WATCH_FAULTS = [
  'bookmarkSeconds',
  'historySeconds',
  'dropAfterEvents',
  'dropAfterSeconds',
] as const;

function normalizeWatchFaults(value: unknown, where: string): WatchFaults {
  if (!isObject(value)) throw new Error(`${where} must be an object`);
  const out: WatchFaults = {};
  for (const key of Object.keys(value)) {
    if (key === 'forbidden') {
      const list = value.forbidden;
      if (!Array.isArray(list) || list.some(f => typeof f !== 'string'))
        throw new Error(
          `${where}: forbidden must be a list of resource names such as "secrets"`,
        );
      out.forbidden = [...list];
      continue;
    }
    if (!(WATCH_FAULTS as readonly string[]).includes(key))
      throw new Error(
        `${where}: unknown setting "${key}" (known: forbidden, ${WATCH_FAULTS.join(
          ', ',
        )})`,
      );
    const v = value[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw new Error(`${where}: ${key} must be a number > 0`);
    if (key === 'dropAfterEvents' && !Number.isInteger(v))
      throw new Error(`${where}: dropAfterEvents must be an integer`);
    out[key as (typeof WATCH_FAULTS)[number]] = v;
  }
  return out;
}

function normalizeIstiodFaults(value: unknown, where: string): IstiodFaults {
  if (!isObject(value)) throw new Error(`${where} must be an object`);
  const out: IstiodFaults = {};
  for (const key of Object.keys(value)) {
    if (!['latencyMs', 'status', 'malformed', 'debug'].includes(key))
      throw new Error(
        `${where}: unknown fault "${key}" (known: latencyMs, status, malformed, debug)`,
      );
  }
  if (value.latencyMs !== undefined) {
    if (typeof value.latencyMs !== 'number' || value.latencyMs < 0)
      throw new Error(`${where}: latencyMs must be a number >= 0`);
    out.latencyMs = value.latencyMs;
  }
  if (value.status !== undefined) {
    if (
      !Number.isInteger(value.status) ||
      (value.status as number) < 400 ||
      (value.status as number) > 599
    )
      throw new Error(
        `${where}: status must be an HTTP error status (400-599)`,
      );
    out.status = value.status as number;
  }
  if (value.malformed !== undefined) {
    if (typeof value.malformed !== 'boolean')
      throw new Error(`${where}: malformed must be true or false`);
    out.malformed = value.malformed;
  }
  if (value.debug !== undefined) {
    if (
      value.debug !== 'disabled' &&
      value.debug !== 'unauthenticated' &&
      value.debug !== 'open'
    )
      throw new Error(
        `${where}: debug must be "disabled", "unauthenticated" or "open"`,
      );
    out.debug = value.debug;
  }
  return out;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++)
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
