/*
 * The exposure rules against istiod's source (istio/istio master 2026-08; files named in gatewayExposure.ts).
 */
import { eastWestGateway, emptyData } from '../../__testUtils__/fixtures';
import type { EastWestGateway } from '../../types/snapshot';
import {
  addressesUsedBy,
  exposeGateways,
  isIpAddress,
  nodeSelected,
  parseNodeSelectorAnnotation,
  passthroughOf,
} from './gatewayExposure';

const PASSTHROUGH = {
  namespace: 'istio-system',
  name: 'cross-network-gateway',
  selector: { istio: 'eastwestgateway' },
  servers: [
    {
      port: 15443,
      protocol: 'TLS',
      tlsMode: 'AUTO_PASSTHROUGH',
      hosts: ['*.local'],
    },
  ],
};

function expose(
  gw: EastWestGateway,
  gateways = [PASSTHROUGH],
  registry?: Map<string, { network: string; port: number }>,
) {
  const [e] = exposeGateways(
    'cluster1',
    emptyData({ eastWestGateways: [gw] }),
    registry ? { registry } : {},
  );
  return { ...e, passthrough: passthroughOf(e, gateways) };
}

const NODE_PORTS = [
  { name: 'status-port', port: 15021, nodePort: 31021 },
  { name: 'tls', port: 15443, targetPort: 15443, nodePort: 31443 },
];

describe('exposeGateways', () => {
  it('publishes a LoadBalancer gateway at its ingress IP on 15443', () => {
    const e = expose(eastWestGateway('network1'));
    expect(e).toMatchObject({
      published: true,
      mtlsPort: 15443,
      publishedPort: 15443,
      ready: true,
      passthrough: true,
      addresses: [{ address: '10.0.0.1', kind: 'ip', source: 'loadBalancer' }],
      unpublishedBecause: [],
    });
  });

  it('counts a LoadBalancer hostname as an address (ConvertService; resolved by istiod by default)', () => {
    const e = expose(
      eastWestGateway('network1', {
        addresses: ['a1b2.elb.us-east-1.amazonaws.com'],
        externalIPs: [],
      }),
    );
    expect(e.published).toBe(true);
    expect(e.addresses).toEqual([
      {
        address: 'a1b2.elb.us-east-1.amazonaws.com',
        kind: 'hostname',
        source: 'loadBalancer',
      },
    ]);
    // resolveHostnameGateways: with RESOLVE_HOSTNAME_GATEWAYS=false istiod drops it.
    expect(addressesUsedBy(e, true)).toHaveLength(1);
    expect(addressesUsedBy(e, false)).toEqual([]);
  });

  it('reports a pending LoadBalancer as MESH032', () => {
    const e = expose(
      eastWestGateway('network1', { addresses: [], externalIPs: [] }),
    );
    expect(e.published).toBe(false);
    expect(e.unpublishedBecause.map(f => f.code)).toEqual(['MESH032']);
    expect(e.unpublishedBecause[0].message).toContain(
      'no LoadBalancer ingress and no externalIPs',
    );
  });

  it('takes externalIPs of any Service type, but LoadBalancer ingress only for type LoadBalancer', () => {
    const clusterIp = expose(
      eastWestGateway('network1', {
        serviceType: 'ClusterIP',
        addresses: ['203.0.113.9', '10.0.0.1'],
        externalIPs: ['203.0.113.9'],
      }),
    );
    expect(clusterIp.addresses).toEqual([
      { address: '203.0.113.9', kind: 'ip', source: 'externalIP' },
    ]);
  });

  it('publishes a NodePort gateway at the ExternalIPs of the nodes its traffic.istio.io/nodeSelector selects, on the node port', () => {
    const e = expose(
      eastWestGateway('network1', {
        serviceType: 'NodePort',
        addresses: [],
        externalIPs: [],
        ports: NODE_PORTS,
        nodeSelector: { 'mesh.example.com/eastwest': 'true' },
        selectedNodes: [
          {
            name: 'node-a',
            externalIP: '198.51.100.10',
            internalIP: '10.1.0.10',
          },
          { name: 'node-b', internalIP: '10.1.0.11' },
        ],
      }),
    );
    expect(e).toMatchObject({
      published: true,
      mtlsPort: 15443,
      publishedPort: 31443,
      addresses: [
        {
          address: '198.51.100.10',
          kind: 'ip',
          source: 'node',
          node: 'node-a',
        },
      ],
    });
    // onNodeEvent keeps only NodeExternalIP: node-b (InternalIP only) is skipped, with a note.
    expect(e.notes.join(' ')).toContain(
      'Node node-b is selected by traffic.istio.io/nodeSelector but has no ExternalIP (only InternalIP 10.1.0.11)',
    );
  });

  it('reports a NodePort gateway whose nodes have only InternalIPs as MESH032, naming why', () => {
    const e = expose(
      eastWestGateway('network1', {
        serviceType: 'NodePort',
        addresses: [],
        externalIPs: [],
        ports: NODE_PORTS,
        nodeSelector: {},
        selectedNodes: [{ name: 'node-b', internalIP: '10.1.0.11' }],
      }),
    );
    expect(e.published).toBe(false);
    expect(e.unpublishedBecause[0].message).toContain(
      'none of the nodes its traffic.istio.io/nodeSelector selects has an ExternalIP',
    );
  });

  it('does not publish node addresses for a NodePort Service without the annotation (isNodePortGatewayService)', () => {
    const e = expose(
      eastWestGateway('network1', {
        serviceType: 'NodePort',
        addresses: [],
        externalIPs: [],
        ports: NODE_PORTS,
      }),
    );
    expect(e.published).toBe(false);
    expect(e.unpublishedBecause[0].message).toContain(
      'no traffic.istio.io/nodeSelector annotation',
    );
  });

  it('prefers externalIPs over node addresses, still on the node port (addOrUpdateService, extractGatewaysInner)', () => {
    const e = expose(
      eastWestGateway('network1', {
        serviceType: 'NodePort',
        addresses: ['203.0.113.1'],
        externalIPs: ['203.0.113.1'],
        ports: NODE_PORTS,
        nodeSelector: {},
        selectedNodes: [{ name: 'node-a', externalIP: '198.51.100.10' }],
      }),
    );
    expect(e.addresses.map(a => a.address)).toEqual(['203.0.113.1']);
    expect(e.publishedPort).toBe(31443);
  });

  it('uses the networking.istio.io/gatewayPort label as the mTLS port, and finds the AUTO_PASSTHROUGH Gateway on it', () => {
    const gw = eastWestGateway('network1', {
      gatewayPortLabel: '443',
      ports: [
        { name: 'status-port', port: 15021 },
        { name: 'tls', port: 443, targetPort: 15443 },
      ],
    });
    const onServicePort = expose(gw, [
      { ...PASSTHROUGH, servers: [{ ...PASSTHROUGH.servers[0], port: 443 }] },
    ]);
    expect(onServicePort).toMatchObject({
      published: true,
      mtlsPort: 443,
      publishedPort: 443,
      passthrough: true,
    });
    // resolvePorts: a Gateway server on the target port is bound as it is, so 15443 works too.
    expect(expose(gw).passthrough).toBe(true);
    expect(
      expose(gw, [
        {
          ...PASSTHROUGH,
          servers: [{ ...PASSTHROUGH.servers[0], port: 8443 }],
        },
      ]).passthrough,
    ).toBe(false);
  });

  it('reports a missing gateway port as MESH033, naming the label when it overrides 15443', () => {
    const plain = expose(
      eastWestGateway('network1', {
        ports: [{ name: 'status-port', port: 15021 }],
      }),
    );
    expect(plain.unpublishedBecause.map(f => f.code)).toEqual(['MESH033']);
    const labelled = expose(
      eastWestGateway('network1', { gatewayPortLabel: '443' }),
    );
    expect(labelled.unpublishedBecause[0].message).toContain(
      'does not expose port 443 (its networking.istio.io/gatewayPort label)',
    );
  });

  it('falls back to 15443 for an unparsable gatewayPort label (strconv.Atoi fails: a warning in istiod)', () => {
    const e = expose(eastWestGateway('network1', { gatewayPortLabel: 'tls' }));
    expect(e.mtlsPort).toBe(15443);
    expect(e.published).toBe(true);
    expect(e.notes[0]).toContain('is not a number');
  });

  it('treats a gateway without a network label as no gateway (MESH035)', () => {
    const e = expose(eastWestGateway('network1', { network: undefined }));
    expect(e.published).toBe(false);
    expect(e.unpublishedBecause.map(f => f.code)).toEqual(['MESH035']);
  });

  it('takes a meshNetworks registryServiceName gateway with the network and port meshNetworks gives', () => {
    const e = expose(
      eastWestGateway('network1', {
        network: undefined,
        name: 'istio-ingressgateway',
        ports: [{ name: 'tls', port: 443 }],
      }),
      [],
      new Map([
        [
          'istio-system/istio-ingressgateway',
          { network: 'network9', port: 443 },
        ],
      ]),
    );
    expect(e).toMatchObject({
      published: true,
      network: 'network9',
      mtlsPort: 443,
    });
  });

  it('is not ready with no ready replica or scaled to zero', () => {
    expect(expose(eastWestGateway('n', { readyReplicas: 0 })).ready).toBe(
      false,
    );
    expect(
      expose(eastWestGateway('n', { readyReplicas: 0, desiredReplicas: 0 }))
        .ready,
    ).toBe(false);
  });
});

describe('the node selector annotation', () => {
  it('parses JSON of strings; anything else selects every node (getNodeSelectorsForService)', () => {
    expect(parseNodeSelectorAnnotation('{"zone":"a"}')).toEqual({ zone: 'a' });
    expect(parseNodeSelectorAnnotation('zone=a')).toEqual({});
    expect(parseNodeSelectorAnnotation('{"replicas":2}')).toEqual({});
    expect(parseNodeSelectorAnnotation('["a"]')).toEqual({});
  });

  it('selects nodes whose labels include the selector (labels.Instance.SubsetOf)', () => {
    expect(nodeSelected({}, {})).toBe(true);
    expect(nodeSelected({ a: '1' }, { a: '1', b: '2' })).toBe(true);
    expect(nodeSelected({ a: '1' }, { a: '2' })).toBe(false);
  });
});

describe('isIpAddress', () => {
  it('tells IP literals from hostnames', () => {
    expect(isIpAddress('10.0.0.1')).toBe(true);
    expect(isIpAddress('2001:db8::1')).toBe(true);
    expect(isIpAddress('256.0.0.1')).toBe(false);
    expect(isIpAddress('gw.example.com')).toBe(false);
  });
});
