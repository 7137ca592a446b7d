/*
 * The demo mesh as the backend's collectors read it from the kube-sim demo scenario
 * (packages/kube-sim/scenarios/demo): __fixtures__/demoSnapshot.json is generated from the scenario by the
 * backend (src/__integration__/demoFixtures.integration.test.ts, `yarn generate:fixtures`), so this is the same
 * mesh the running demo shows, not a copy kept in step by hand.
 */
import demoSnapshot from '../__fixtures__/demoSnapshot.json';
import { type MeshSnapshot, parseSnapshot } from '../types/snapshot';

/** Read at 2026-06-01T00:00:00Z (every timestamp of the fixture is relative to it). */
export const DEMO_NOW = new Date('2026-06-01T00:00:00.000Z');

/** A fresh copy: tests may edit it. */
export function demoMesh(): MeshSnapshot {
  return structuredClone(parseSnapshot(demoSnapshot));
}
