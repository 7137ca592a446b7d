/*
 * One demo mesh: the kube-sim scenario (packages/kube-sim/scenarios/demo) is the source, and the fixtures other
 * packages test with are built from it here, by the real collectors reading kube-sim over HTTP and the real
 * router: the snapshot (-common's __fixtures__/demoSnapshot.json) and the /overview and /entity responses (the
 * frontend's __fixtures__/demo/*.json). The test fails when a fixture is stale; `yarn generate:fixtures` (this
 * test with MESH_WRITE_GENERATED=1) rewrites them.
 */
import { appConfigFragment, RunningSimulator } from '@internal/kube-sim';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  productServiceEntity,
  snapshotServiceFor,
  startBackend,
  startSim,
} from '../__testUtils__/kubeSim';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '../../../..');
const WRITE = process.env.MESH_WRITE_GENERATED === '1';

const DEMO_FIXTURES = {
  snapshot: 'plugins/service-mesh-common/src/__fixtures__/demoSnapshot.json',
  overview: 'plugins/service-mesh/src/__fixtures__/demo/overview.json',
  productService:
    'plugins/service-mesh/src/__fixtures__/demo/productService.json',
};

/** The moment every fixture is read at. */
const FIXED = Date.parse('2026-06-01T00:00:00.000Z');
const CLOCK_KEYS = new Set([
  'generatedAt',
  'lastSyncedAt',
  'lastAttemptAt',
  'observedAt',
  'proxiesReadAt',
  'readAt',
]);

/**
 * Wall-clock values made reproducible: read times become FIXED, durations 0, and a proxy's `since` keeps its age
 * relative to its istiod's `observedAt` (kube-sim ages are whole seconds; observedAt is an HTTP Date, truncated to
 * the second, hence the ceiling).
 */
function reproducible(value: unknown, observedAt?: number): unknown {
  if (Array.isArray(value)) return value.map(v => reproducible(v, observedAt));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const observed =
    typeof record.observedAt === 'string'
      ? Date.parse(record.observedAt)
      : observedAt;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (CLOCK_KEYS.has(k) && typeof v === 'string')
      out[k] = new Date(FIXED).toISOString();
    else if (k === 'durationMs' && typeof v === 'number') out[k] = 0;
    else if (k === 'since' && typeof v === 'string' && observed !== undefined) {
      const age = Math.ceil((observed - Date.parse(v)) / 1000);
      out[k] = new Date(FIXED - age * 1000).toISOString();
    } else out[k] = reproducible(v, observed);
  }
  return out;
}

function json(value: unknown): string {
  return `${JSON.stringify(reproducible(value), null, 2)}\n`;
}

function stale(expected: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [path, content] of Object.entries(expected)) {
    const full = join(ROOT, path);
    if (existsSync(full) && readFileSync(full, 'utf8') === content) continue;
    if (WRITE) {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    } else out.push(path);
  }
  return out;
}

describe('demo fixtures built from the kube-sim demo scenario', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSim('demo');
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('are up to date (yarn generate:fixtures rewrites them)', async () => {
    const state = await snapshotServiceFor(appConfigFragment(sim)).refresh();
    const backend = await startBackend(sim);
    try {
      const overview = await backend.get('/overview');
      const entityRef = `component:default/${productServiceEntity.metadata.name}`;
      const entity = await backend.get(
        `/entity?entityRef=${encodeURIComponent(entityRef)}`,
      );
      expect([overview.status, entity.status]).toEqual([200, 200]);
      expect(
        stale({
          [DEMO_FIXTURES.snapshot]: json(state.snapshot),
          [DEMO_FIXTURES.overview]: json(overview.body),
          [DEMO_FIXTURES.productService]: json(entity.body),
        }),
      ).toEqual([]);
    } finally {
      backend.server.close();
    }
  });
});
