/*
 * Property-based: the action's inputs (namespaces, cluster lists, revisions, label styles, flags; unicode and huge
 * values) over random cluster states (namespaces that exist with other or conflicting labels, revisions that
 * differ). For every case: either a 4xx-style refusal with a message and no write, or a dry-run plan that is
 * exactly what the real run then applies, and nothing else. FUZZ_RUNS sets the case count (10,000 by default).
 */
/* eslint-disable jest/no-conditional-expect -- a property branches on the generated case: refused or applied */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fc from 'fast-check';
import { createOnboardNamespaceAction } from './onboardNamespace';
import { planCluster } from './plan';
import { ClusterResult, OnboardRequest } from './types';
import { FakeCluster, fakeClusters } from './__testUtils__/FakeCluster';
import {
  CLUSTERS,
  ClusterStateSpec,
  clusterState,
  labels,
  onboardInput,
} from './__testUtils__/onboardArbitraries';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
jest.setTimeout(600_000);

function world(states: ClusterStateSpec[], namespace: string) {
  return CLUSTERS.map((name, i) => {
    const s = states[i];
    const c = new FakeCluster(name, { revisions: s.revisions });
    if (s.namespace) c.putNamespace(namespace, s.namespace);
    if (s.namespace && s.strict)
      c.peerAuthentications.set(namespace, {
        mode: 'STRICT',
        hasSelector: false,
      });
    return c;
  });
}

function dump(clusters: FakeCluster[]) {
  return clusters.map(c => ({
    namespaces: [...c.namespaces.entries()].map(([n, v]) => [
      n,
      v.labels,
      v.phase,
    ]),
    peerAuthentications: [...c.peerAuthentications.entries()],
  }));
}

const baseContext = createMockActionContext({
  input: {} as any,
  workspacePath: '/nonexistent/onboard-fuzz',
});

/** One action for all cases; its clusters are those of the current case. */
let current: FakeCluster[] = [];
const action = createOnboardNamespaceAction({
  config: new ConfigReader({}),
  permissions: mockServices.permissions.mock({
    authorize: (async () => [{ result: AuthorizeResult.ALLOW }]) as any,
  }),
  clusters: {
    get members() {
      return fakeClusters(...current).members;
    },
    targetProblem: (c: string) => fakeClusters(...current).targetProblem(c),
    client: (c: string) => fakeClusters(...current).client(c),
  } as ReturnType<typeof fakeClusters>,
});

async function run(clusters: FakeCluster[], input: Record<string, unknown>) {
  current = clusters;
  // One mock context for all cases (a fresh one makes a temporary folder each time).
  const outputs: Record<string, unknown> = {};
  const ctx = {
    ...baseContext,
    input: input as any,
    output: (k: string, v: unknown) => {
      outputs[k] = v;
    },
  } as typeof baseContext;
  try {
    await action.handler(ctx);
    return { results: outputs.results as ClusterResult[] };
  } catch (error) {
    return {
      error: error as Error,
      results: outputs.results as ClusterResult[] | undefined,
    };
  }
}

describe('service-mesh:namespace:onboard under hostile input (property-based)', () => {
  it(`plans exactly what it applies, refuses the rest with a message: ${RUNS} cases`, async () => {
    const started = Date.now();
    const tally = { refused: 0, planned: 0, writes: 0 };
    await fc.assert(
      fc.asyncProperty(
        onboardInput,
        fc.tuple(clusterState, clusterState, clusterState),
        async (input, states) => {
          const ns = String(input.namespace).trim();
          const dryWorld = world(states, ns);
          const before = dump(dryWorld);
          const dry = await run(dryWorld, { ...input, dryRun: true });
          // A dry run never writes.
          expect(dryWorld.flatMap(c => c.writes)).toEqual([]);
          expect(dump(dryWorld)).toEqual(before);

          const realWorld = world(states, ns);
          const real = await run(realWorld, input);
          if (dry.error) {
            // Refused: a client error with a message, the same for the real run, and nothing written.
            expect(dry.error.name).toBe('InputError');
            expect(dry.error.message.length).toBeGreaterThan(0);
            expect(real.error?.name).toBe('InputError');
            expect(real.error?.message).toBe(dry.error.message);
            expect(realWorld.flatMap(c => c.writes)).toEqual([]);
            tally.refused++;
            return;
          }
          tally.planned++;
          expect(real.error).toBeUndefined();
          const plan = dry.results!;
          const applied = real.results!;
          expect(applied.map(r => r.cluster)).toEqual(plan.map(r => r.cluster));
          for (const [i, p] of plan.entries()) {
            const a = applied[i];
            expect(p.status).toBe('dry-run');
            expect({
              created: a.created,
              labelsAdded: a.labelsAdded,
              pa: a.peerAuthentication,
            }).toEqual({
              created: p.created,
              labelsAdded: p.labelsAdded,
              pa: p.peerAuthentication,
            });
          }
          // Nothing it did not plan: the clusters differ from before exactly by the plan.
          for (const [i, c] of realWorld.entries()) {
            const p = plan.find(r => r.cluster === c.name);
            const beforeLabels = before[i].namespaces.find(
              ([n]) => n === ns,
            )?.[1] as Record<string, string> | undefined;
            const otherNamespaces = (d: ReturnType<typeof dump>[number]) =>
              d.namespaces.filter(([n]) => n !== ns);
            expect(otherNamespaces(dump([c])[0])).toEqual(
              otherNamespaces(before[i]),
            );
            if (!p) {
              expect(c.writes).toEqual([]);
              continue;
            }
            expect(c.labelsOf(ns)).toEqual({
              ...(beforeLabels ?? {}),
              ...p.labelsAdded,
            });
            const paBefore = before[i].peerAuthentications.length > 0;
            expect(c.peerAuthentications.has(ns)).toBe(
              paBefore || p.peerAuthentication === 'created',
            );
            tally.writes += c.writes.length;
          }
        },
      ),
      { numRuns: RUNS },
    );
    // eslint-disable-next-line no-console
    console.log(
      `onboard action fuzz: ${RUNS} cases (${
        tally.refused
      } refused with a message, ${tally.planned} planned and applied, ${
        tally.writes
      } writes, all planned) in ${(Date.now() - started) / 1000} s`,
    );
    expect(tally.planned).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  });

  it('the dry run reports what the planning function computes from the same state', () => {
    // For every valid request and state: the plan's labels are the desired labels the namespace lacks.
    fc.assert(
      fc.property(
        fc.constantFrom('alauda', 'revision', 'injection'),
        fc.option(labels, { nil: undefined }),
        fc.boolean(),
        (labelStyle, existing, strictMtls) => {
          const request: OnboardRequest = {
            namespace: 'payments',
            clusters: ['cluster1'],
            revision: '1-22',
            labelStyle: labelStyle as OnboardRequest['labelStyle'],
            createIfMissing: true,
            strictMtls,
            dryRun: true,
          };
          const plan = planCluster(request, {
            cluster: 'cluster1',
            revisions: ['1-22'],
            ...(existing ? { namespace: { labels: existing } } : {}),
          });
          for (const [k, v] of Object.entries(plan.labelsToAdd)) {
            expect(existing?.[k]).not.toBe(v);
          }
          expect(plan.createNamespace).toBe(!existing);
          expect(plan.createPeerAuthentication).toBe(strictMtls);
        },
      ),
      { numRuns: Math.min(RUNS, 2000) },
    );
  });
});
