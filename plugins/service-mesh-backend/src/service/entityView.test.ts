/*
 * The entity view shows what Istio applies: the DestinationRules, VirtualServices and PeerAuthentications in force
 * come from the same -common functions as the simulator, so "policies in force" and the simulated split agree.
 */
import {
  ClusterMeshData,
  LabelSelectorError,
  MeshSnapshot,
  PolicyResource,
  SnapshotIndex,
} from '@internal/plugin-service-mesh-common';
import {
  emptyData,
  policy,
} from '@internal/plugin-service-mesh-common/testUtils';
import type { MeshSnapshotState } from '../snapshot/MeshSnapshotService';
import { buildEntityView, matchEntity } from './entityView';

const fqdn = 'product-service.global-svc.svc.cluster.local';
const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
const outlier = (n: number) => ({
  outlierDetection: { consecutive5xxErrors: n },
});

function data(destinationRules: PolicyResource[]): ClusterMeshData {
  const labels = { app: 'product', 'backstage.io/kubernetes-id': 'product' };
  return emptyData({
    nodes: { total: 1, byLocality: [], unlabelled: [], unlabelledCount: 0 },
    namespaces: [
      { name: 'global-svc', labels: {}, onboarded: true, revision: 'default' },
    ],
    services: [
      {
        namespace: 'global-svc',
        name: 'product-service',
        labels,
        selector: { app: 'product' },
        ports: [{ port: 80 }],
        headless: false,
        endpoints: [
          { locality: { region: 'r1', zone: 'z1' }, ready: 2, notReady: 0 },
        ],
      },
    ],
    workloads: [
      {
        namespace: 'global-svc',
        name: 'product-service',
        kind: 'Deployment',
        labels,
        pods: 2,
        readyPods: 2,
        podsWithSidecar: 2,
        podsOptedOut: 0,
        uninjected: [],
        localities: [{ region: 'r1', zone: 'z1', pods: 2 }],
      },
    ],
    destinationRules,
    peerAuthentications: [
      policy('PeerAuthentication', 'istio-system', 'default', {
        mtls: { mode: 'STRICT' },
      }),
    ],
  });
}

function state(destinationRules: PolicyResource[]): MeshSnapshotState {
  const snapshot: MeshSnapshot = {
    schemaVersion: 3,
    generatedAt: at(0),
    clusters: [
      {
        name: 'cluster1',
        role: 'member',
        status: 'ok',
        data: data(destinationRules),
      },
    ],
  };
  return {
    snapshot,
    findings: [],
    index: SnapshotIndex.build(snapshot),
  } as unknown as MeshSnapshotState;
}

const view = (rules: PolicyResource[]) =>
  buildEntityView(state(rules), 'component:default/product', {
    kubernetesId: 'product',
  });

describe('buildEntityView: the policies in force, as Istio applies them', () => {
  it('gives Istio’s answers for the hosts of issue 20 (dotted host, private rule elsewhere, workloadSelector)', () => {
    const res = view([
      policy('DestinationRule', 'global-svc', 'dotted', {
        host: 'product-service.global-svc',
        trafficPolicy: outlier(1),
      }),
      policy('DestinationRule', 'team', 'team-only', {
        host: fqdn,
        exportTo: ['.'],
        trafficPolicy: outlier(2),
      }),
      policy('DestinationRule', 'global-svc', 'storefront-only', {
        host: 'product-service',
        workloadSelector: { matchLabels: { app: 'storefront' } },
        trafficPolicy: outlier(3),
      }),
    ]);
    const drs = res.trafficPolicies.filter(p => p.kind === 'DestinationRule');
    // `product-service.global-svc` is taken as fully qualified (ResolveShortnameToFQDN): it names no Service.
    expect(drs.map(p => [p.namespace, p.name, p.clients])).toEqual([
      [
        'global-svc',
        'storefront-only',
        { namespaces: ['global-svc'], workloadSelector: { app: 'storefront' } },
      ],
      ['team', 'team-only', { namespaces: ['team'] }],
    ]);
    // Neither applies to a client in the service's namespace without those labels: the simulator uses none.
    expect(res.simulations[0].input.policy).toBeUndefined();
    expect(res.clusters[0].mtlsMode).toBe('STRICT');
  });

  it('lists five matching rules as Istio merges them, and simulates with the traffic policy of the merge', () => {
    const res = view([
      policy(
        'DestinationRule',
        'global-svc',
        'c-newest',
        { host: 'product-service', trafficPolicy: outlier(9), subsets: [] },
        at(30),
      ),
      policy(
        'DestinationRule',
        'global-svc',
        'a-oldest',
        { host: 'product-service', subsets: [{ name: 'v1' }] },
        at(10),
      ),
      policy(
        'DestinationRule',
        'global-svc',
        'b-middle',
        { host: fqdn, trafficPolicy: outlier(5) },
        at(20),
      ),
      policy(
        'DestinationRule',
        'global-svc',
        'namespace-wide',
        { host: '*.global-svc.svc.cluster.local', trafficPolicy: outlier(1) },
        at(0),
      ),
      policy(
        'DestinationRule',
        'istio-system',
        'mesh-wide',
        { host: '*.cluster.local', trafficPolicy: outlier(2) },
        at(0),
      ),
    ]);
    const drs = res.trafficPolicies.filter(p => p.kind === 'DestinationRule');
    const merge = {
      rules: [
        'global-svc/a-oldest',
        'global-svc/b-middle',
        'global-svc/c-newest',
      ],
      trafficPolicyFrom: 'global-svc/b-middle',
    };
    expect(drs.map(p => [p.name, p.merge, p.clusters])).toEqual([
      ['a-oldest', merge, ['cluster1']],
      ['b-middle', merge, ['cluster1']],
      ['c-newest', merge, ['cluster1']],
    ]);
    expect(drs[0].clients).toEqual({
      namespaces: ['*', 'global-svc', 'istio-system'],
    });
    // The simulator takes the same rule: the traffic policy of b-middle.
    expect(res.simulations[0].input.policy).toEqual(
      expect.objectContaining({
        outlierDetection: { consecutive5xxErrors: 5 },
        source: {
          cluster: 'cluster1',
          namespace: 'global-svc',
          name: 'b-middle',
        },
      }),
    );
    // No creation time in the response: it differs per cluster.
    expect(drs[0]).not.toHaveProperty('creationTimestamp');
  });
});

describe('matchEntity', () => {
  it('parses label selectors as the API server does', () => {
    const s = state([]);
    const names = (labelSelector: string) =>
      [...matchEntity(s, { labelSelector }).values()].flatMap(o =>
        o.services.map(x => x.name),
      );
    expect(names('app=product, tier notin (db)')).toEqual(['product-service']);
    expect(names('app in ()')).toEqual([]);
    expect(() => names('app in (a')).toThrow(LabelSelectorError);
  });
});
