import {
  DEFAULT_MEMBERS,
  edit,
  healthyMesh,
} from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

const singleNetwork = () =>
  healthyMesh(DEFAULT_MEMBERS.map(m => ({ ...m, network: 'network1' })));

describe('MESH030 no east-west gateway', () => {
  it('errors in a multi-network mesh', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.eastWestGateways = [];
    });
    const [f] = firingFindings(snapshot, 'MESH030');
    expect(f).toMatchObject({ severity: 'error', clusters: ['cluster3'] });
    expect(f.hint).toContain('gen-eastwest-gateway.sh --network network2');
    expect(codesOf(snapshot)).toEqual(['MESH030']);
  });

  it('does not fire in a single-network mesh (no gateway checks at all)', () => {
    const snapshot = edit(singleNetwork(), 'cluster3', d => {
      d.eastWestGateways = [];
      d.gateways = [];
    });
    expect(codesOf(snapshot)).toEqual([]);
  });
});

describe('MESH031 gateway replicas', () => {
  it('warns when some replicas are not ready, errors when none are', () => {
    const some = edit(healthyMesh(), 'cluster1', d => {
      d.eastWestGateways[0].desiredReplicas = 2;
    });
    expect(firingFindings(some, 'MESH031')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('1/2 ready'),
      }),
    ]);
    const none = edit(healthyMesh(), 'cluster1', d => {
      d.eastWestGateways[0].readyReplicas = 0;
    });
    expect(findingsOf(none, 'MESH031')[0].severity).toBe('error');
  });

  it('names the gateway Deployment (the resource whose replicas must change), not the Service', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.eastWestGateways[0].deployment = 'eastwest-pods';
      d.eastWestGateways[0].readyReplicas = 0;
    });
    const [f] = firingFindings(snapshot, 'MESH031');
    expect(f).toMatchObject({
      id: 'MESH031-cluster1-deployment-istio-system-eastwest-pods',
      resource: {
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'eastwest-pods',
      },
      message: expect.stringContaining('Deployment istio-system/eastwest-pods'),
    });
    expect(f.hint).toContain('describe deployment/eastwest-pods');
  });

  it('names the Service when its selector matches no Deployment', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      delete d.eastWestGateways[0].deployment;
      d.eastWestGateways[0].desiredReplicas = 0;
      d.eastWestGateways[0].readyReplicas = 0;
    });
    const [f] = firingFindings(snapshot, 'MESH031');
    expect(f).toMatchObject({
      severity: 'error',
      resource: { kind: 'Service', name: 'istio-eastwestgateway' },
      message: expect.stringContaining('selects no Deployment'),
    });
  });

  it('does not fire when all desired replicas are ready', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.eastWestGateways[0].desiredReplicas = 3;
      d.eastWestGateways[0].readyReplicas = 3;
    });
    expect(findingsOf(snapshot, 'MESH031')).toEqual([]);
  });
});

describe('MESH032 gateway address', () => {
  it('errors when the Service has no LoadBalancer ingress or externalIPs', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.eastWestGateways[0].addresses = [];
    });
    const [f] = firingFindings(snapshot, 'MESH032');
    expect(f).toMatchObject({
      id: 'MESH032-cluster3-service-istio-system-istio-eastwestgateway',
      clusters: ['cluster3'],
      resource: {
        kind: 'Service',
        namespace: 'istio-system',
        name: 'istio-eastwestgateway',
      },
    });
    expect(f.hint).toContain('externalIPs');
  });

  it('accepts a hostname address', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.eastWestGateways[0].addresses = ['a1b2.elb.amazonaws.com'];
    });
    expect(findingsOf(snapshot, 'MESH032')).toEqual([]);
  });
});

describe('MESH033 port 15443', () => {
  it('errors when the Service does not expose 15443', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.eastWestGateways[0].ports = d.eastWestGateways[0].ports.filter(
        p => p.port !== 15443,
      );
    });
    expect(firingFindings(snapshot, 'MESH033')).toHaveLength(1);
  });

  it('does not fire when 15443 is exposed among other ports', () => {
    expect(findingsOf(healthyMesh(), 'MESH033')).toEqual([]);
  });
});

describe('MESH034 cross-network Gateway', () => {
  it('errors without an AUTO_PASSTHROUGH Gateway on 15443', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.gateways[0].servers[0].tlsMode = 'PASSTHROUGH';
    });
    const [f] = firingFindings(snapshot, 'MESH034');
    expect(f.clusters).toEqual(['cluster2']);
    expect(f.hint).toContain('mode: AUTO_PASSTHROUGH');
    expect(f.hint).toContain('selector: {istio: eastwestgateway}');
  });

  it('errors when the Gateway selector matches no gateway pod', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.gateways[0].selector = { istio: 'ingressgateway' };
    });
    expect(findingsOf(snapshot, 'MESH034')[0].message).toContain(
      'selector matches no east-west gateway pod',
    );
  });

  it('does not fire with a matching Gateway', () => {
    expect(findingsOf(healthyMesh(), 'MESH034')).toEqual([]);
  });
});

describe('MESH035 network labels', () => {
  it('errors when neither istio-system nor the mesh config declare a network', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      delete d.systemNamespaceNetwork;
      delete d.meshConfigs[0].network;
    });
    const [f] = firingFindings(snapshot, 'MESH035');
    expect(f.hint).toBe(
      'kubectl label namespace istio-system topology.istio.io/network=network1 --context=cluster1',
    );
  });

  it('errors when the gateway label disagrees with istio-system', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.eastWestGateways[0].network = 'network9';
    });
    expect(findingsOf(snapshot, 'MESH035')[0].message).toContain(
      'namespace istio-system says network1, east-west gateway istio-system/istio-eastwestgateway says network9',
    );
  });

  it('errors when the gateway Service has no network label', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      delete d.eastWestGateways[0].network;
    });
    expect(findingsOf(snapshot, 'MESH035')).toHaveLength(1);
  });

  it('does not fire when the injector network (mesh config) stands in for the namespace label', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      delete d.systemNamespaceNetwork;
    });
    expect(findingsOf(snapshot, 'MESH035')).toEqual([]);
  });
});
