/*
 * A sample of the property-based inputs (onboardNamespace.fuzz.test.ts) against kube-sim over real HTTP: the dry
 * run writes nothing, and the real run changes the clusters by exactly the plan the dry run reported — every
 * namespace and PeerAuthentication of every member cluster is compared before and after.
 */
/* eslint-disable jest/no-conditional-expect -- a property branches on the generated case: refused or applied */
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  appConfigFragment,
  RunningSimulator,
  startSimulator,
} from '@internal/kube-sim';
import { DefaultServiceMeshClustersService } from '@internal/plugin-service-mesh-node';
import fc from 'fast-check';
import { createOnboardNamespaceAction } from './onboardNamespace';
import { onboardInput } from './__testUtils__/onboardArbitraries';
import { ClusterResult } from './types';

const SAMPLE = Number(process.env.FUZZ_HTTP_SAMPLE ?? 40);
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const DEMO = path.join(
  path.dirname(require.resolve('@internal/kube-sim/package.json')),
  'scenarios/demo',
);
const WRITE_VERBS = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

jest.setTimeout(300_000);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: DEMO, port: 0 });
});
afterAll(() => sim?.stop());

async function list(cluster: string, apiPath: string) {
  const c = sim.clusters.find(x => x.name === cluster)!;
  const res = await fetch(`${c.url}${apiPath}`, {
    headers: { Authorization: `Bearer ${c.token}` },
  });
  const body = await res.json();
  return (body.items ?? []).map((o: any) => ({
    namespace: o.metadata.namespace,
    name: o.metadata.name,
    labels: o.metadata.labels ?? {},
  }));
}

/** Every namespace (with labels) and PeerAuthentication of every member. */
async function world() {
  const out: Record<string, unknown> = {};
  for (const cluster of MEMBERS) {
    out[cluster] = {
      namespaces: await list(cluster, '/api/v1/namespaces'),
      peerAuthentications: (
        await list(cluster, '/apis/security.istio.io/v1/peerauthentications')
      ).map((p: any) => `${p.namespace}/${p.name}`),
    };
  }
  return out as Record<
    string,
    {
      namespaces: Array<{ name: string; labels: Record<string, string> }>;
      peerAuthentications: string[];
    }
  >;
}

const writes = () =>
  MEMBERS.flatMap(c => sim.requestLog(c)).filter(e => WRITE_VERBS.has(e.verb));

it(`dry-run plan == applied change against kube-sim over HTTP: ${SAMPLE} sampled cases`, async () => {
  const config = new ConfigReader(appConfigFragment(sim) as any);
  const action = createOnboardNamespaceAction({
    config,
    clusterAccess: DefaultServiceMeshClustersService.fromConfig({
      config,
      logger: mockServices.logger.mock(),
    }),
    permissions: mockServices.permissions({ result: 'ALLOW' } as any),
  });
  const run = async (input: Record<string, unknown>) => {
    const ctx = createMockActionContext({ input: input as any });
    const outputs: Record<string, unknown> = {};
    (ctx.output as jest.Mock).mockImplementation((k: string, v: unknown) => {
      outputs[k] = v;
    });
    try {
      await action.handler(ctx);
      return { results: outputs.results as ClusterResult[] };
    } catch (error) {
      return { error: error as Error };
    }
  };
  // A fixed seed: the sample is the same every run (the in-process suite explores new cases each time).
  const cases = fc.sample(onboardInput, { numRuns: SAMPLE, seed: 2026_12_06 });
  let applied = 0;
  for (const input of cases) {
    const before = await world();
    sim.resetRequestCounts();
    const dry = await run({ ...input, dryRun: true });
    expect(writes()).toEqual([]);
    if (dry.error) {
      expect(`${dry.error.name}: ${dry.error.message}`).toMatch(
        /^InputError: ./,
      );
      expect(dry.error.message).not.toBe('');
      const real = await run(input);
      expect(real.error?.message).toBe(dry.error.message);
      expect(writes()).toEqual([]);
      continue;
    }
    const real = await run(input);
    expect(real.error).toBeUndefined();
    const after = await world();
    const ns = String(input.namespace).trim();
    for (const cluster of MEMBERS) {
      const plan = dry.results!.find(r => r.cluster === cluster);
      const result = real.results!.find(r => r.cluster === cluster);
      const others = (w: typeof before) =>
        w[cluster].namespaces.filter(n => n.name !== ns);
      expect(others(after)).toEqual(others(before));
      if (!plan) {
        expect(after[cluster]).toEqual(before[cluster]);
        continue;
      }
      expect(result).toMatchObject({
        created: plan.created,
        labelsAdded: plan.labelsAdded,
        peerAuthentication: plan.peerAuthentication,
      });
      const labelsBefore = before[cluster].namespaces.find(
        n => n.name === ns,
      )?.labels;
      expect(plan.created).toBe(labelsBefore === undefined);
      expect(
        after[cluster].namespaces.find(n => n.name === ns)?.labels,
      ).toEqual({
        // The API server labels every namespace it creates with its name (as Kubernetes ≥ 1.21 does).
        ...(plan.created ? { 'kubernetes.io/metadata.name': ns } : {}),
        ...(labelsBefore ?? {}),
        ...plan.labelsAdded,
      });
      const expectedPa = [...before[cluster].peerAuthentications];
      if (plan.peerAuthentication === 'created')
        expectedPa.push(`${ns}/default`);
      expect([...after[cluster].peerAuthentications].sort()).toEqual(
        expectedPa.sort(),
      );
    }
    applied++;
  }
  // eslint-disable-next-line no-console
  console.log(
    `onboard action over HTTP: ${SAMPLE} sampled cases, ${applied} applied exactly as planned, ${
      SAMPLE - applied
    } refused without a write`,
  );
  expect(applied).toBeGreaterThan(0);
});
