/*
 * The action against kube-sim over real HTTP (client-node, with the cluster configuration the service-mesh
 * backend reads), checked afterwards with Debian's kubectl like an operator would.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  appConfigFragment,
  kubeconfig,
  RunningSimulator,
  startSimulator,
} from '@internal/kube-sim';
import { DefaultServiceMeshClustersService } from '@internal/plugin-service-mesh-node';
import { createOnboardNamespaceAction } from './onboardNamespace';
import { ClusterResult } from './types';

const KUBECTL =
  process.env.KUBECTL ?? '/work/main/.toolchain/kubectl/usr/bin/kubectl';
const SCENARIOS = path.resolve(__dirname, '../../__fixtures__/scenarios');
const DEMO = path.join(
  path.dirname(require.resolve('@internal/kube-sim/package.json')),
  'scenarios/demo',
);
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const ALAUDA = { 'cpaas.io/serviceMesh': 'enabled', 'istio.io/rev': '1-22' };
const READ_VERBS = new Set(['get', 'list', 'watch']);

jest.setTimeout(60_000);

beforeAll(() => {
  if (!fs.existsSync(KUBECTL)) {
    throw new Error(
      `Debian's kubectl is missing at ${KUBECTL}: extract the kubernetes-client package there or set KUBECTL`,
    );
  }
});

interface Harness {
  sim: RunningSimulator;
  run(
    input: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): Promise<Outputs>;
  /** The namespace's labels as `kubectl get ns` shows them; undefined when kubectl says NotFound. */
  kubectlLabels(
    cluster: string,
    namespace: string,
  ): Promise<Record<string, string> | undefined>;
  kubectl(cluster: string, ...args: string[]): Promise<string>;
  /** Write requests the clusters received since the last reset (kubectl's included). */
  writes(cluster?: string): string[];
}

interface Outputs {
  results: ClusterResult[];
  summary: string;
}

/** Outputs of the last run, also when it threw. */
const lastOutputs: Partial<Outputs> = {};

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map(h => h.sim.stop()));
});

async function start(
  scenarioDir: string,
  options: { allow?: boolean; clusterTimeoutSeconds?: number } = {},
): Promise<Harness> {
  const sim = await startSimulator({ scenarioDir, port: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-it-'));
  const kubeconfigFile = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfigFile, JSON.stringify(kubeconfig(sim)));
  const config = ConfigReader.fromConfigs([
    { context: 'kube-sim', data: appConfigFragment(sim) as any },
    {
      context: 'test',
      data: options.clusterTimeoutSeconds
        ? {
            serviceMesh: {
              clusterTimeoutSeconds: options.clusterTimeoutSeconds,
            },
          }
        : {},
    },
  ]);
  const action = createOnboardNamespaceAction({
    config,
    clusterAccess: DefaultServiceMeshClustersService.fromConfig({
      config,
      logger: mockServices.logger.mock(),
    }),
    permissions: mockServices.permissions({
      result: options.allow === false ? 'DENY' : 'ALLOW',
    } as any),
  });
  const kubectl = async (cluster: string, ...args: string[]) => {
    const { stdout } = await promisify(execFile)(KUBECTL, [
      '--kubeconfig',
      kubeconfigFile,
      '--context',
      cluster,
      ...args,
    ]);
    return stdout;
  };
  const harness: Harness = {
    sim,
    async run(input, extra = {}) {
      const ctx: Parameters<typeof action.handler>[0] = {
        ...createMockActionContext({ input: input as any }),
        ...extra,
      };
      const output = jest.spyOn(ctx, 'output');
      const collected = () =>
        Object.fromEntries(output.mock.calls) as unknown as Outputs;
      try {
        await action.handler(ctx);
      } finally {
        Object.assign(lastOutputs, collected());
      }
      return collected();
    },
    async kubectlLabels(cluster, namespace) {
      try {
        const out = await kubectl(
          cluster,
          'get',
          'namespace',
          namespace,
          '-o',
          'jsonpath={.metadata.labels}',
        );
        return JSON.parse(out || '{}');
      } catch (error) {
        if (String((error as { stderr?: string }).stderr).includes('NotFound'))
          return undefined;
        throw error;
      }
    },
    kubectl,
    writes(cluster) {
      const clusters = cluster ? [cluster] : sim.clusters.map(c => c.name);
      return clusters.flatMap(c =>
        sim
          .requestLog(c)
          .filter(e => !READ_VERBS.has(e.verb))
          .map(e => `${c} ${e.verb} ${e.resource} ${e.path} ${e.status}`),
      );
    },
  };
  harnesses.push(harness);
  return harness;
}

describe('service-mesh:namespace:onboard against kube-sim', () => {
  it('creates a fresh namespace with the labels on every member cluster of the demo mesh, not on global', async () => {
    const h = await start(DEMO);
    const { results, summary } = await h.run({ namespace: 'checkout' });

    expect(results.map(r => [r.cluster, r.created, r.status])).toEqual(
      MEMBERS.map(c => [c, true, 'changed']),
    );
    expect(summary).toContain(
      "Onboarded namespace 'checkout' (revision 1-22, label style alauda) on 3 cluster(s)",
    );
    for (const cluster of MEMBERS) {
      expect(await h.kubectlLabels(cluster, 'checkout')).toEqual({
        ...ALAUDA,
        'kubernetes.io/metadata.name': 'checkout',
      });
    }
    expect(await h.kubectlLabels('global', 'checkout')).toBeUndefined();
    expect(h.writes('global')).toEqual([]);
  });

  it("reads the demo's revision tag (metadata-only webhook list) and accepts it only where it exists", async () => {
    const h = await start(DEMO);
    const { results } = await h.run(
      { namespace: 'orders', clusters: ['cluster2'], revision: 'prod' },
      { isDryRun: true },
    );
    expect(results.map(r => [r.cluster, r.status, r.labelsAdded])).toEqual([
      [
        'cluster2',
        'dry-run',
        { 'cpaas.io/serviceMesh': 'enabled', 'istio.io/rev': 'prod' },
      ],
    ]);
    await expect(
      h.run({ namespace: 'orders', clusters: ['cluster1'], revision: 'prod' }),
    ).rejects.toThrow(
      "- cluster1: revision 'prod' has no istiod here (istiod revisions in istio-system: 1-22)",
    );
    expect(h.writes()).toEqual([]);
  });

  it('only labels the cluster where the demo namespace is missing the labels, and a re-run writes nothing', async () => {
    const h = await start(DEMO);
    const first = await h.run({ namespace: 'payments', strictMtls: true });
    expect(first.results.map(r => [r.cluster, r.status])).toEqual([
      ['cluster1', 'changed'],
      ['cluster2', 'changed'],
      ['cluster3', 'changed'],
    ]);
    expect(first.results.map(r => r.labelsAdded)).toEqual([{}, {}, ALAUDA]);
    expect(await h.kubectlLabels('cluster3', 'payments')).toEqual({
      'kubernetes.io/metadata.name': 'payments',
      ...ALAUDA,
    });
    const pa = await h.kubectl(
      'cluster3',
      'get',
      'peerauthentications.security.istio.io',
      'default',
      '-n',
      'payments',
      '-o',
      'jsonpath={.spec.mtls.mode}',
    );
    expect(pa).toBe('STRICT');

    h.sim.resetRequestCounts();
    const writesBefore = h.writes().length;
    const second = await h.run({ namespace: 'payments', strictMtls: true });
    expect(second.results.map(r => [r.status, r.peerAuthentication])).toEqual(
      MEMBERS.map(() => ['unchanged', 'unchanged']),
    );
    expect(h.writes().length).toBe(writesBefore);
    expect(h.sim.requestCount()).toBeGreaterThan(0);
  });

  it('merges into an existing namespace, keeping its labels (merge patch on metadata.labels)', async () => {
    const h = await start(path.join(SCENARIOS, 'injection-label'));
    const { results } = await h.run({
      namespace: 'shop',
      labelStyle: 'revision',
      revision: '1-22',
    });

    expect(results.map(r => [r.cluster, r.created, r.labelsAdded])).toEqual([
      ['cluster1', false, { 'istio.io/rev': '1-22' }],
      ['cluster2', true, { 'istio.io/rev': '1-22' }],
      ['cluster3', true, { 'istio.io/rev': '1-22' }],
    ]);
    expect(await h.kubectlLabels('cluster1', 'shop')).toEqual({
      team: 'shop',
      env: 'prod',
      'istio.io/rev': '1-22',
      'kubernetes.io/metadata.name': 'shop',
    });
    expect(h.writes('cluster1')).toEqual([
      'cluster1 patch namespaces /api/v1/namespaces/shop 200',
    ]);
  });

  it('writes nothing in a dry run and reports the plan per cluster', async () => {
    const h = await start(path.join(SCENARIOS, 'injection-label'));
    const { results, summary } = await h.run(
      { namespace: 'shop', strictMtls: true },
      { isDryRun: true },
    );

    expect(h.writes()).toEqual([]);
    expect(
      results.map(r => [r.cluster, r.status, r.created, r.peerAuthentication]),
    ).toEqual([
      ['cluster1', 'dry-run', false, 'created'],
      ['cluster2', 'dry-run', true, 'created'],
      ['cluster3', 'dry-run', true, 'created'],
    ]);
    expect(summary).toContain(
      '- cluster1: would add labels {cpaas.io/serviceMesh=enabled, istio.io/rev=1-22} to namespace shop; ' +
        'create PeerAuthentication shop/default (mTLS STRICT)',
    );
    expect(await h.kubectlLabels('cluster2', 'shop')).toBeUndefined();
  });

  it('refuses without the permission before sending any request', async () => {
    const h = await start(DEMO, { allow: false });
    await expect(h.run({ namespace: 'checkout' })).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(h.sim.requestCount()).toBe(0);
  });

  it.each([
    'Checkout',
    'kube-system',
    'istio-system',
    'default',
    'x'.repeat(64),
  ])(
    'refuses the namespace name %j before sending any request',
    async namespace => {
      const h = await start(DEMO);
      await expect(h.run({ namespace })).rejects.toMatchObject({
        name: 'InputError',
      });
      expect(h.sim.requestCount()).toBe(0);
    },
  );

  it('refuses a namespace that carries istio-injection=enabled on one cluster and changes nothing anywhere', async () => {
    const h = await start(path.join(SCENARIOS, 'injection-label'));
    await expect(h.run({ namespace: 'legacy' })).rejects.toThrow(
      "- cluster2: namespace 'legacy' has istio-injection=enabled, which takes precedence over istio.io/rev",
    );
    expect(h.writes()).toEqual([]);
    expect(await h.kubectlLabels('cluster1', 'legacy')).toBeUndefined();
  });

  it('refuses a revision missing on one cluster, and cannot pick a default revision there', async () => {
    const h = await start(path.join(SCENARIOS, 'revision-skew'));
    await expect(
      h.run({ namespace: 'checkout', revision: '1-22' }),
    ).rejects.toThrow(
      "- cluster3: revision '1-22' has no istiod here (istiod revisions in istio-system: 1-21)",
    );
    await expect(h.run({ namespace: 'checkout' })).rejects.toThrow(
      "(cluster1: 1-22; cluster2: 1-22; cluster3: 1-21); set 'revision' explicitly",
    );
    expect(h.writes()).toEqual([]);
    for (const cluster of MEMBERS)
      expect(await h.kubectlLabels(cluster, 'checkout')).toBeUndefined();

    const ok = await h.run({
      namespace: 'checkout',
      clusters: ['cluster1', 'cluster2'],
    });
    expect(ok.results.map(r => r.status)).toEqual(['changed', 'changed']);
  });

  it('reports a cluster that is down during validation and changes nothing', async () => {
    const h = await start(DEMO);
    await h.sim.setFaults('cluster2', { down: true });
    await expect(h.run({ namespace: 'checkout' })).rejects.toThrow(
      /- cluster2: cannot read the cluster: .*ECONNREFUSED/,
    );
    expect(h.writes()).toEqual([]);
  });

  it('gives up on a cluster that does not answer within serviceMesh.clusterTimeoutSeconds', async () => {
    // A timeout generous for the clusters that answer; cluster3 answers only after this test's own limit (60 s).
    const h = await start(DEMO, { clusterTimeoutSeconds: 5 });
    await h.sim.setFaults('cluster3', { latencyMs: 120_000 });
    await expect(h.run({ namespace: 'checkout' })).rejects.toThrow(
      /- cluster3: cannot read the cluster: .*no answer in time \(timed out\)/,
    );
    expect(h.writes()).toEqual([]);
  });

  it('rolls back the namespaces it created on the other clusters when the last cluster refuses the write', async () => {
    const h = await start(DEMO);
    // validation has read every cluster by the time the per-cluster checkpoints run
    const checkpoint = async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<any>;
    }) => {
      if (key === 'onboard-cluster3-checkout')
        await h.sim.setFaults('cluster3', { forbidden: ['namespaces'] });
      return fn();
    };
    const error = await h
      .run({ namespace: 'checkout' }, { checkpoint })
      .catch(e => e);

    expect(error.message).toContain(
      "Onboarding namespace 'checkout' failed on cluster cluster3: create namespace checkout: 403",
    );
    expect(error.message).toContain(
      'Every change this task had made was rolled back.',
    );
    expect(lastOutputs.results!.map(r => r.status)).toEqual([
      'rolled-back',
      'rolled-back',
      'failed',
    ]);
    await h.sim.setFaults('cluster3', {});
    for (const cluster of MEMBERS)
      expect(await h.kubectlLabels(cluster, 'checkout')).toBeUndefined();
    expect(h.writes('cluster1')).toEqual([
      'cluster1 create namespaces /api/v1/namespaces 201',
      'cluster1 delete namespaces /api/v1/namespaces/checkout 200',
    ]);
  });

  it('reports exactly what was left changed when the rollback cannot reach a cluster', async () => {
    const h = await start(DEMO);
    const checkpoint = async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<any>;
    }) => {
      if (key === 'onboard-cluster3-checkout') {
        await h.sim.setFaults('cluster3', { errorRate: 1 });
        await h.sim.setFaults('cluster1', { down: true });
      }
      return fn();
    };
    const error = await h
      .run({ namespace: 'checkout' }, { checkpoint })
      .catch(e => e);

    expect(error.message).toContain(
      'failed on cluster cluster3: create namespace checkout: 500',
    );
    expect(error.message).toContain(
      'Rollback failed on cluster1: changes of this task remain there',
    );
    expect(error.message).toMatch(
      /- cluster1: left changed \(created namespace checkout with labels \{cpaas.io\/serviceMesh=enabled, istio.io\/rev=1-22\}\): rollback failed: .*ECONNREFUSED/,
    );
    expect(lastOutputs.results!.map(r => [r.cluster, r.status])).toEqual([
      ['cluster1', 'changed'],
      ['cluster2', 'rolled-back'],
      ['cluster3', 'failed'],
    ]);
    await h.sim.setFaults('cluster1', {});
    await h.sim.setFaults('cluster3', {});
    expect(await h.kubectlLabels('cluster1', 'checkout')).toMatchObject(ALAUDA);
    expect(await h.kubectlLabels('cluster2', 'checkout')).toBeUndefined();
    expect(await h.kubectlLabels('cluster3', 'checkout')).toBeUndefined();
  });

  it('retries after a 409 when another client changes the namespace between read and patch', async () => {
    const h = await start(path.join(SCENARIOS, 'injection-label'));
    const checkpoint = async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<any>;
    }) => {
      // a second client (kubectl) relabels the namespace after the action read it
      if (key === 'onboard-cluster1-shop')
        await h.kubectl(
          'cluster1',
          'label',
          'namespace',
          'shop',
          'owner=alice',
        );
      return fn();
    };
    const { results } = await h.run(
      { namespace: 'shop', clusters: ['cluster1'] },
      { checkpoint },
    );

    expect(results[0]).toMatchObject({
      status: 'changed',
      labelsAdded: ALAUDA,
    });
    expect(await h.kubectlLabels('cluster1', 'shop')).toEqual({
      team: 'shop',
      env: 'prod',
      owner: 'alice',
      ...ALAUDA,
      'kubernetes.io/metadata.name': 'shop',
    });
    expect(h.writes('cluster1')).toEqual([
      'cluster1 patch namespaces /api/v1/namespaces/shop 200', // kubectl label
      'cluster1 patch namespaces /api/v1/namespaces/shop 409', // stale resourceVersion
      'cluster1 patch namespaces /api/v1/namespaces/shop 200', // re-read and re-applied
    ]);
  });
});
