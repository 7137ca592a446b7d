import { deployment, fullNode, service } from '../__testUtils__/objects';
import {
  gatewayNodeSelector,
  mapEastWestGateways,
  mapGatewayNodes,
} from './eastWestGateways';
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
        externalIPs: ['198.51.100.7'],
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

  it('keeps what istiod needs for a NodePort gateway: node selector, node ports, the selected nodes and their addresses', () => {
    const ctx = new MappingContext();
    const svc = service('istio-eastwestgateway', 'istio-system', {
      type: 'NodePort',
      labels: {
        'topology.istio.io/network': 'network2',
        'networking.istio.io/gatewayPort': '15443',
      },
      annotations: {
        'traffic.istio.io/nodeSelector': '{"mesh.example.com/eastwest":"true"}',
      },
      selector: { istio: 'eastwestgateway' },
      ports: [{ name: 'tls', port: 15443, targetPort: 15443, nodePort: 31443 }],
    });
    expect(gatewayNodeSelector(svc)).toEqual({
      'mesh.example.com/eastwest': 'true',
    });
    const nodes = mapGatewayNodes(
      [
        fullNode('edge-2', { 'mesh.example.com/eastwest': 'true' }, [
          { type: 'InternalIP', address: '10.2.0.12' },
        ]),
        fullNode('edge-1', { 'mesh.example.com/eastwest': 'true' }, [
          { type: 'InternalIP', address: '10.2.0.11' },
          { type: 'ExternalIP', address: '198.51.100.21' },
          { type: 'ExternalIP', address: '198.51.100.99' },
        ]),
        fullNode('worker-1', {}, [
          { type: 'ExternalIP', address: '198.51.100.30' },
        ]),
      ],
      ctx,
    );
    const [gw] = mapEastWestGateways([svc], [], ctx, { nodes });
    expect(gw).toMatchObject({
      serviceType: 'NodePort',
      addresses: [],
      externalIPs: [],
      nodeSelector: { 'mesh.example.com/eastwest': 'true' },
      gatewayPortLabel: '15443',
      ports: [{ name: 'tls', port: 15443, nodePort: 31443 }],
      // The first ExternalIP of each selected node (onNodeEvent), sorted by name.
      selectedNodes: [
        {
          name: 'edge-1',
          externalIP: '198.51.100.21',
          internalIP: '10.2.0.11',
        },
        { name: 'edge-2', internalIP: '10.2.0.12' },
      ],
    });
    // Nodes not read (no list, or it failed): unknown, not empty.
    expect(
      mapEastWestGateways([svc], [], ctx)[0].selectedNodes,
    ).toBeUndefined();
    expect(ctx.malformedObjects).toEqual([]);
  });

  it('has no node selector without the annotation or for other Service types', () => {
    expect(
      gatewayNodeSelector(service('a', 'istio-system', { type: 'NodePort' })),
    ).toBeUndefined();
    expect(
      gatewayNodeSelector(
        service('a', 'istio-system', {
          type: 'LoadBalancer',
          annotations: { 'traffic.istio.io/nodeSelector': '{}' },
        }),
      ),
    ).toBeUndefined();
    // An unparsable annotation selects every node, as in istiod.
    expect(
      gatewayNodeSelector(
        service('a', 'istio-system', {
          type: 'NodePort',
          annotations: { 'traffic.istio.io/nodeSelector': 'zone=a' },
        }),
      ),
    ).toEqual({});
  });

  it('takes an ingress hostname when its IP is empty, and keeps Services meshNetworks names as gateways', () => {
    const ctx = new MappingContext();
    const gateways = mapEastWestGateways(
      [
        service('istio-ingressgateway', 'istio-system', {
          type: 'LoadBalancer',
          lbIngress: [{ ip: '', hostname: 'lb.example.com' }],
          ports: [{ name: 'tls', port: 443, targetPort: 8443 }],
        }),
        service('other', 'istio-system', { type: 'LoadBalancer' }),
      ],
      [],
      ctx,
      {
        meshConfigs: [
          {
            revision: 'default',
            namespace: 'istio-system',
            configMap: 'istio',
            meshNetworks: {
              networks: [
                {
                  name: 'network1',
                  fromRegistries: ['cluster1'],
                  fromCidrs: [],
                  gateways: [
                    {
                      registryServiceName:
                        'istio-ingressgateway.istio-system.svc.cluster.local',
                      port: 443,
                    },
                  ],
                },
              ],
            },
          },
        ],
      },
    );
    expect(gateways.map(g => [g.name, g.network, g.addresses])).toEqual([
      ['istio-ingressgateway', undefined, ['lb.example.com']],
    ]);
  });
});
