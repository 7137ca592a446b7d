import type { Finding } from '../types/api';
import type { MeshSnapshot } from '../types/snapshot';
import { NOW } from './fixtures';
import { analyzeMesh } from '../analysis/analyzeMesh';

/** Findings of one code. */
export function findingsOf(
  snapshot: MeshSnapshot,
  code: string,
  now = NOW,
): Finding[] {
  return analyzeMesh(snapshot, { now }).filter(f => f.code === code);
}

/** Every code reported, sorted (for "this and nothing else" assertions). */
export function codesOf(snapshot: MeshSnapshot, now = NOW): string[] {
  return analyzeMesh(snapshot, { now }).map(f => f.code);
}
