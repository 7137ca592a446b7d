// Scenario folders: clusters.yaml checks, common/, file formats, CRDs defined after their objects, warnings.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from './simulator.ts';
import { raw } from './__testUtils__/sim.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kube-sim-scenario-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(file: string, text: string) {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
}

const namespace = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

it('loads common/ into every cluster, YAML, JSON arrays and Lists, and CRDs that come after their objects', async () => {
  write(
    'clusters.yaml',
    'clusters: [{ name: a, token: secret-a }, { name: b, port: 0 }]\n',
  );
  write(
    'common/ns.yaml',
    '# shared\napiVersion: v1\nkind: Namespace\nmetadata: {name: shared}\n---\n',
  );
  write(
    'a/1-widgets.yaml',
    'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: shared}\nspec: {size: 1}\n',
  );
  write(
    'a/2-crd.json',
    JSON.stringify({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    }),
  );
  write(
    'b/list.json',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [namespace('one'), namespace('two')],
    }),
  );
  write('b/array.json', JSON.stringify([namespace('three')]));
  write('b/bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n');
  const sim = await startSimulator({ scenarioDir: dir });
  try {
    expect(sim.clusters.map(c => c.token)).toEqual([
      'secret-a',
      'kube-sim-b-token',
    ]);
    const widgets = await raw(
      sim,
      'a',
      '/apis/example.com/v1/namespaces/shared/widgets',
    );
    expect(widgets.body.items.map((w: any) => w.spec.size)).toEqual([1]);
    const names = (await raw(sim, 'b', '/api/v1/namespaces')).body.items.map(
      (n: any) => n.metadata.name,
    );
    expect(names).toEqual(['one', 'shared', 'three', 'two']);
    expect(sim.warnings).toEqual([
      {
        cluster: 'b',
        file: 'b/bad.yaml',
        message: expect.stringMatching(/^document 1: .*; skipped$/),
      },
    ]);
  } finally {
    await sim.stop();
  }
});

it.each([
  ['clusters: []', /clusters must be a non-empty list/],
  ['clusters: [{ name: Bad_Name }]', /name must be a DNS-1123 label/],
  ['clusters: [{ name: a }, { name: a }]', /duplicate cluster name a/],
  [
    'clusters: [{ name: a, faults: { latency: 5 } }]',
    /unknown fault "latency"/,
  ],
  [
    'clusters: [{ name: a, faults: { errorRate: 2 } }]',
    /errorRate must be a number between 0 and 1/,
  ],
  [
    'clusters: [{ name: a, builtinCrds: [nope] }]',
    /unknown builtinCrds set "nope"/,
  ],
  [
    'managementCluster: z\nclusters: [{ name: a }]',
    /managementCluster z is not one of the clusters/,
  ],
])('rejects clusters.yaml %s', async (text, message) => {
  write('clusters.yaml', text);
  await expect(startSimulator({ scenarioDir: dir })).rejects.toThrow(message);
});

it('says what is missing when the folder is not a scenario', async () => {
  await expect(
    startSimulator({ scenarioDir: join(dir, 'nope') }),
  ).rejects.toThrow(/clusters.yaml is missing/);
});
