import type { MeshSnapshot } from '../types/snapshot';
import {
  emptyData,
  policy,
  service,
  workload,
} from '../__testUtils__/fixtures';
import { matchEntityObjects, SnapshotIndex } from './entityObjects';
import { entityMtlsMode, entityPoliciesInForce } from './entityPolicies';

const product = service('global-svc', 'product', [
  { region: 'r1', zone: 'z1' },
]);
const productPods = workload('global-svc', 'product', 2);
const legacyPods = {
  ...workload('global-svc', 'legacy', 1),
  labels: { app: 'product', track: 'legacy' },
};

describe('entityPoliciesInForce', () => {
  const data = emptyData({
    services: [product],
    workloads: [productPods, legacyPods],
    destinationRules: [
      policy('DestinationRule', 'global-svc', 'product', {
        host: 'product',
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      }),
      policy('DestinationRule', 'global-svc', 'cart', { host: 'cart' }),
    ],
    virtualServices: [
      policy('VirtualService', 'global-svc', 'product', {
        hosts: ['product'],
        http: [{ route: [{ destination: { host: 'product' } }] }],
      }),
      policy('VirtualService', 'global-svc', 'everything', { hosts: ['*'] }),
    ],
    peerAuthentications: [
      policy('PeerAuthentication', 'istio-system', 'mesh', {
        mtls: { mode: 'STRICT' },
      }),
      policy('PeerAuthentication', 'global-svc', 'legacy', {
        selector: { matchLabels: { track: 'legacy' } },
        mtls: { mode: 'PERMISSIVE' },
      }),
      policy('PeerAuthentication', 'payments', 'other', {
        mtls: { mode: 'DISABLE' },
      }),
    ],
  });
  const objects = { services: [product], workloads: [productPods, legacyPods] };

  it('lists the rules of the entity’s Services and workloads, with the clients they apply to', () => {
    const inForce = entityPoliciesInForce(data, objects, ['global-svc']);
    expect(inForce.map(e => [e.policy.kind, e.policy.name, e.clients])).toEqual(
      [
        [
          'DestinationRule',
          'product',
          { namespaces: ['*', 'global-svc', 'istio-system'] },
        ],
        ['VirtualService', 'product', { namespaces: ['*', 'global-svc'] }],
        ['PeerAuthentication', 'mesh', undefined],
        ['PeerAuthentication', 'legacy', undefined],
      ],
    );
  });

  it('reports the weakest mode among the entity’s workloads', () => {
    expect(entityMtlsMode(data, objects, ['global-svc'])).toBe('PERMISSIVE');
    expect(
      entityMtlsMode(data, { services: [], workloads: [] }, ['payments']),
    ).toBe('DISABLE');
    expect(
      entityMtlsMode(emptyData(), { services: [], workloads: [] }, []),
    ).toBe('PERMISSIVE (default)');
  });
});

describe('matchEntityObjects', () => {
  const snapshot: MeshSnapshot = {
    schemaVersion: 3,
    generatedAt: '',
    clusters: [
      {
        name: 'c1',
        role: 'member',
        status: 'ok',
        data: emptyData({
          services: [
            product,
            { ...product, name: 'no-selector', labels: {}, selector: {} },
          ],
          workloads: [
            {
              ...productPods,
              labels: {
                ...productPods.labels,
                'backstage.io/kubernetes-id': 'product',
              },
            },
          ],
        }),
      },
    ],
  };
  const index = SnapshotIndex.build(snapshot);
  const names = (selector: Parameters<typeof matchEntityObjects>[2]) => {
    const objects = matchEntityObjects(index, ['c1'], selector).get('c1');
    return {
      services: objects?.services.map(s => s.name),
      workloads: objects?.workloads.map(w => w.name),
    };
  };

  it('completes the pairs: the Service that selects a matched workload (a Service without selector selects nothing)', () => {
    expect(names({ kubernetesId: 'product' })).toEqual({
      services: ['product'],
      workloads: ['product'],
    });
  });

  it('matches label selectors by the API server’s rules, within the namespace', () => {
    expect(
      names({ labelSelector: 'app in (product),track notin (legacy)' }),
    ).toEqual({ services: ['product'], workloads: ['product'] });
    expect(names({ labelSelector: 'app', namespace: 'other' })).toEqual({
      services: undefined,
      workloads: undefined,
    });
  });
});
