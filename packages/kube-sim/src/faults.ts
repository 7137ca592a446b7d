// Fault settings of a cluster and the seeded RNG behind `errorRate`, so that a test run sees the same failures.
import type { ClusterFaults } from './types.ts';
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
