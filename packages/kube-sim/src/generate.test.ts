// A generated scenario loads without warnings and holds the mesh it describes.
import * as k8s from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScenario } from './generate.ts';
import { startSimulator } from './simulator.ts';
import type { RunningSimulator } from './types.ts';
import { coreApi, kubeConfig } from './__testUtils__/sim.ts';

jest.setTimeout(60_000);

let dir: string;
let sim: RunningSimulator;
const CLUSTERS = 3;
const SERVICES = 4;
const ENDPOINTS = 5;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-sim-generate-'));
  await generateScenario({
    clusters: CLUSTERS,
    services: SERVICES,
    endpoints: ENDPOINTS,
    out: dir,
  });
  sim = await startSimulator({ scenarioDir: dir });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const members = ['cluster-01', 'cluster-02', 'cluster-03'];

it('describes a management cluster and one network and region per business cluster', () => {
  expect(sim.warnings).toEqual([]);
  expect(sim.managementCluster).toBe('global');
  expect(sim.clusters.map(c => [c.name, c.region, c.network])).toEqual([
    ['global', undefined, undefined],
    ['cluster-01', 'region-01', 'network-01'],
    ['cluster-02', 'region-02', 'network-02'],
    ['cluster-03', 'region-03', 'network-03'],
  ]);
});

it('spreads K endpoints of every service over the clusters, each with a sidecar pod', async () => {
  let endpoints = 0;
  let pods = 0;
  for (const name of members) {
    const core = coreApi(sim, name);
    const discovery = kubeConfig(sim, name).makeApiClient(k8s.DiscoveryV1Api);
    const slices = await discovery.listEndpointSliceForAllNamespaces({
      labelSelector: 'kubernetes.io/service-name',
    });
    endpoints += slices.items.reduce(
      (n, s) => n + (s.endpoints?.length ?? 0),
      0,
    );
    const meshPods = await core.listPodForAllNamespaces({
      labelSelector: 'security.istio.io/tlsMode=istio',
    });
    pods += meshPods.items.length;
    expect(
      meshPods.items.every(p =>
        p.spec?.containers.some(c => c.name === 'istio-proxy'),
      ),
    ).toBe(true);
    const services = await core.listServiceForAllNamespaces({
      labelSelector: 'backstage.io/kubernetes-id',
    });
    expect(services.items).toHaveLength(SERVICES);
    const nodes = await core.listNode();
    expect(
      nodes.items.every(
        n =>
          n.metadata?.labels?.['topology.kubernetes.io/region'] &&
          n.metadata?.labels?.['topology.kubernetes.io/zone'],
      ),
    ).toBe(true);
  }
  expect(endpoints).toBe(SERVICES * ENDPOINTS);
  expect(pods).toBe(SERVICES * ENDPOINTS);
});

it('has istiod, an east-west gateway with an address, and the full remote-secret matrix in each cluster', async () => {
  for (const name of members) {
    const core = coreApi(sim, name);
    const apps = kubeConfig(sim, name).makeApiClient(k8s.AppsV1Api);
    const istiod = await apps.readNamespacedDeployment({
      name: 'istiod-1-22',
      namespace: 'istio-system',
    });
    expect(istiod.status?.readyReplicas).toBe(1);
    const gw = await core.readNamespacedService({
      name: 'istio-eastwestgateway',
      namespace: 'istio-system',
    });
    expect(gw.status?.loadBalancer?.ingress?.[0]?.ip).toMatch(
      /^198\.51\.100\./,
    );
    const secrets = await core.listNamespacedSecret({
      namespace: 'istio-system',
      labelSelector: 'istio/multiCluster=true',
    });
    expect(
      secrets.items
        .map(s => s.metadata?.annotations?.['networking.istio.io/cluster'])
        .sort(),
    ).toEqual(members.filter(m => m !== name));
    const ns = await core.readNamespace({ name: 'istio-system' });
    expect(ns.metadata?.labels?.['topology.istio.io/network']).toBe(
      `network-${name.slice(-2)}`,
    );
  }
  const meshes: any = await kubeConfig(sim, 'global')
    .makeApiClient(k8s.CustomObjectsApi)
    .listNamespacedCustomObject({
      group: 'asm.alauda.io',
      version: 'v1alpha1',
      namespace: 'cpaas-system',
      plural: 'servicemeshes',
    });
  expect(meshes.items.map((m: any) => m.metadata.name)).toEqual(members);
});
