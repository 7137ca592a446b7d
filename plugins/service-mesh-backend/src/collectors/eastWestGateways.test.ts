import { deployment, service } from '../__testUtils__/objects';
import { mapEastWestGateways } from './eastWestGateways';
import { MappingContext } from './objects';

const ports = [
  { name: 'status-port', port: 15021, targetPort: 15021 },
  { name: 'tls', port: 15443, targetPort: 15443 },
  { name: 'tls-istiod', port: 15012, targetPort: 15012 },
  { name: 'tls-webhook', port: 15017, targetPort: 15017 },
];

describe('mapEastWestGateways', () => {
  it('matches the gateway Service with its Deployment and reads its addresses', () => {
    const ctx = new MappingContext();
    const labels = {
      istio: 'eastwestgateway',
      app: 'istio-eastwestgateway',
      'topology.istio.io/network': 'network1',
    };
    const gateways = mapEastWestGateways(
      [
        service('istio-eastwestgateway', 'istio-system', {
          type: 'LoadBalancer',
          labels,
          selector: { istio: 'eastwestgateway' },
          ports,
          lbIngress: [{ ip: '192.0.2.10' }, { hostname: 'ew.example.com' }],
          externalIPs: ['198.51.100.7'],
        }),
        service('istio-ingressgateway', 'istio-system', {
          type: 'LoadBalancer',
          selector: { istio: 'ingressgateway' },
        }),
      ],
      [
        deployment('istio-eastwestgateway', 'istio-system', {
          templateLabels: labels,
          replicas: 2,
          ready: 1,
        }),
        deployment('istio-ingressgateway', 'istio-system', {
          templateLabels: { istio: 'ingressgateway' },
        }),
      ],
      ctx,
    );
    expect(gateways).toEqual([
      {
        namespace: 'istio-system',
        name: 'istio-eastwestgateway',
        deployment: 'istio-eastwestgateway',
        network: 'network1',
        serviceType: 'LoadBalancer',
        addresses: ['192.0.2.10', 'ew.example.com', '198.51.100.7'],
        ports: ports.map(p => ({ ...p, protocol: 'TCP' })),
        desiredReplicas: 2,
        readyReplicas: 1,
        podLabels: labels,
      },
    ]);
    expect(ctx.malformedObjects).toEqual([]);
  });

  it('reports a pending LoadBalancer with no Deployment as 0/0 without addresses', () => {
    const [gateway] = mapEastWestGateways(
      [
        service('eastwest', 'istio-system', {
          type: 'LoadBalancer',
          labels: { 'topology.istio.io/network': 'n2' },
          selector: { istio: 'eastwest' },
          ports,
        }),
      ],
      [],
      new MappingContext(),
    );
    expect(gateway).toMatchObject({
      addresses: [],
      desiredReplicas: 0,
      readyReplicas: 0,
      podLabels: { istio: 'eastwest' },
    });
    expect(gateway.deployment).toBeUndefined();
  });

  it('skips a gateway Service whose ports are not an array', () => {
    const ctx = new MappingContext();
    const gateways = mapEastWestGateways(
      [
        service('eastwest', 'istio-system', {
          labels: { 'topology.istio.io/network': 'n2' },
          ports: { port: 15443 },
        }),
      ],
      [],
      ctx,
    );
    expect(gateways).toEqual([]);
    expect(ctx.malformedObjects).toEqual([
      {
        kind: 'Service',
        namespace: 'istio-system',
        name: 'eastwest',
        reason: 'spec.ports is not an array',
      },
    ]);
  });
});
