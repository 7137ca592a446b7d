import { endpointSlice, pod, service } from '../__testUtils__/objects';
import { MappingContext } from './objects';
import { mapMeshServices } from './services';
import { mapPods } from './workloads';

const nodes = new Map([
  ['n1', { region: 'region1', zone: 'zone1' }],
  ['n2', { region: 'region1', zone: 'zone2' }],
]);

describe('mapMeshServices', () => {
  it('reduces endpoints to ready/not-ready counts per locality, for mesh namespaces only', () => {
    const ctx = new MappingContext();
    const pods = mapPods(
      [
        pod('p1', 'demo', { nodeName: 'n1' }),
        pod('p2', 'demo', { nodeName: 'n2' }),
        pod('p3', 'demo', {
          labels: { 'istio-locality': 'region2.zone3' },
          nodeName: 'n1',
        }),
      ],
      nodes,
      ctx,
    );
    const slices = [
      endpointSlice('product-abc', 'demo', 'product', [
        { pod: 'p1' },
        { pod: 'p2', ready: false },
        { pod: 'p3' },
      ]),
      // A second slice repeating an endpoint (e.g. dual-stack) does not double-count it.
      endpointSlice('product-def', 'demo', 'product', [
        { pod: 'p1', ip: 'fd00::1' },
      ]),
      endpointSlice('other-abc', 'other', 'other', [{ pod: 'x' }]),
    ];
    const services = mapMeshServices(
      [
        service('product', 'demo', {
          labels: { 'backstage.io/kubernetes-id': 'product-service' },
          selector: { app: 'product' },
        }),
        service('empty', 'demo'),
        service('other', 'other'),
        service('broken', 'demo', { ports: 'http:80' }),
      ],
      slices,
      pods,
      nodes,
      new Set(['demo']),
      ctx,
    );
    expect(services).toEqual([
      {
        namespace: 'demo',
        name: 'product',
        labels: { 'backstage.io/kubernetes-id': 'product-service' },
        type: 'ClusterIP',
        selector: { app: 'product' },
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
        headless: false,
        endpoints: [
          {
            locality: { region: 'region1', zone: 'zone1' },
            ready: 1,
            notReady: 0,
          },
          {
            locality: { region: 'region1', zone: 'zone2' },
            ready: 0,
            notReady: 1,
          },
          {
            locality: { region: 'region2', zone: 'zone3' },
            ready: 1,
            notReady: 0,
          },
        ],
      },
      expect.objectContaining({ name: 'empty', endpoints: [] }),
    ]);
    expect(ctx.malformedObjects).toEqual([
      {
        kind: 'Service',
        namespace: 'demo',
        name: 'broken',
        reason: 'spec.ports is not an array',
      },
    ]);
  });

  it('places endpoints without a pod by their node, and records malformed slices', () => {
    const ctx = new MappingContext();
    const services = mapMeshServices(
      [service('ext', 'demo')],
      [
        {
          metadata: {
            name: 'ext-1',
            namespace: 'demo',
            labels: { 'kubernetes.io/service-name': 'ext' },
          },
          endpoints: [
            { addresses: ['10.0.0.9'], nodeName: 'n2' },
            {
              addresses: ['10.0.0.8'],
              zone: 'zone7',
              conditions: { ready: false },
            },
          ],
        },
        {
          metadata: {
            name: 'ext-2',
            namespace: 'demo',
            labels: { 'kubernetes.io/service-name': 'ext' },
          },
          endpoints: 'none',
        },
      ],
      [],
      nodes,
      new Set(['demo']),
      ctx,
    );
    expect(services[0].endpoints).toEqual([
      { locality: { region: '', zone: 'zone7' }, ready: 0, notReady: 1 },
      { locality: { region: 'region1', zone: 'zone2' }, ready: 1, notReady: 0 },
    ]);
    expect(ctx.malformedObjects).toEqual([
      {
        kind: 'EndpointSlice',
        namespace: 'demo',
        name: 'ext-2',
        reason: 'endpoints is not an array',
      },
    ]);
  });
});

describe('traffic distribution', () => {
  it("keeps spec.trafficDistribution and Istio's annotation as written, and shares no Service across them", () => {
    const ctx = new MappingContext();
    const close = service('close', 'demo');
    (close.spec as Record<string, unknown>).trafficDistribution = 'PreferClose';
    const annotated = service('annotated', 'demo');
    (annotated.metadata as Record<string, unknown>).annotations = {
      'networking.istio.io/traffic-distribution': 'PreferSameNode',
    };
    const [a, b, plain] = mapMeshServices(
      [close, annotated, service('plain', 'demo')],
      [],
      [],
      nodes,
      new Set(['demo']),
      ctx,
    );
    expect(a.trafficDistribution).toBe('PreferClose');
    expect(a.trafficDistributionAnnotation).toBeUndefined();
    expect(b.trafficDistributionAnnotation).toBe('PreferSameNode');
    expect(b.trafficDistribution).toBeUndefined();
    expect(plain).not.toHaveProperty('trafficDistribution');
    expect(ctx.malformedObjects).toEqual([]);
  });
});
