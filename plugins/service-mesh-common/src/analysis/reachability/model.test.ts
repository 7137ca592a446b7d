import { demoMesh } from '../../testUtils/demoMesh';
import {
  edit,
  editAll,
  healthyMesh,
  NOW,
  ROOT_FINGERPRINT,
} from '../../__testUtils__/fixtures';
import type { MeshSnapshot } from '../../types/snapshot';
import { firingFindings } from '../../__testUtils__/findings';
import { withIstiod } from '../../__testUtils__/istiodFixtures';
import { analyzeMesh } from '../analyzeMesh';
import { meshReachability, pairOf } from './model';

const OTHER_ROOT =
  '11:22:33:44:55:66:77:88:99:00:11:22:33:44:55:66:77:88:99:00:11:22:33:44:55:66:77:88:99:00:11:22';

function cell(snapshot: MeshSnapshot, from: string, to: string) {
  const pair = pairOf(meshReachability(snapshot), from, to);
  if (!pair) throw new Error(`no pair ${from} → ${to}`);
  return {
    outcome: pair.outcome,
    discovered: [
      pair.discovered.state,
      ...pair.discovered.reasons.map(r => r.code),
    ],
    routable: [
      pair.routable.state,
      pair.routable.via,
      ...pair.routable.reasons.map(r => r.code),
    ],
    trusted: [pair.trusted.state, ...pair.trusted.reasons.map(r => r.code)],
  };
}

function codes(snapshot: MeshSnapshot) {
  return analyzeMesh(snapshot, { now: NOW }).map(
    f => `${f.code}:${f.severity}`,
  );
}

describe('the reachability model', () => {
  it('has every ordered pair of members, not the management cluster', () => {
    const m = meshReachability(healthyMesh());
    expect(m.clusters).toEqual(['cluster1', 'cluster2', 'cluster3']);
    expect(m.pairs).toHaveLength(9);
    expect(m.pairs.every(p => p.outcome === 'reachable')).toBe(true);
  });

  it('goes direct within a network and through the gateway across networks', () => {
    const s = healthyMesh();
    expect(cell(s, 'cluster1', 'cluster1').routable).toEqual(['yes', 'local']);
    expect(cell(s, 'cluster1', 'cluster2').routable).toEqual(['yes', 'direct']);
    expect(cell(s, 'cluster1', 'cluster3').routable).toEqual([
      'yes',
      'gateway',
    ]);
    expect(
      pairOf(meshReachability(s), 'cluster1', 'cluster3')!.routable.gateways,
    ).toEqual([
      {
        cluster: 'cluster3',
        address: '10.0.0.1',
        port: 15443,
        source: 'service',
      },
    ]);
  });

  it('needs no gateway on a single network', () => {
    const s = editAll(
      healthyMesh([
        {
          name: 'cluster1',
          network: 'network1',
          region: 'region1',
          zone: 'z1',
        },
        {
          name: 'cluster2',
          network: 'network1',
          region: 'region2',
          zone: 'z2',
        },
      ]),
      d => {
        d.eastWestGateways = [];
        d.gateways = [];
      },
    );
    expect(meshReachability(s).multiNetwork).toBe(false);
    expect(
      meshReachability(s).pairs.every(p => p.outcome === 'reachable'),
    ).toBe(true);
    expect(codes(s)).toEqual([]);
  });

  it('the demo: cluster2 does not discover cluster3 (MESH010), cluster1 does not either (its istiod cannot sync it, MESH012), nobody routes to cluster3 (MESH032), cluster3 reaches all', () => {
    const s = demoMesh();
    expect(cell(s, 'cluster2', 'cluster3')).toEqual({
      outcome: 'excluded',
      discovered: ['no', 'MESH010'],
      routable: ['no', 'pod-ip', 'MESH032'],
      trusted: ['yes'],
    });
    // cluster1 has the secret, but its istiod reports cluster3 as `timeout` (its own /debug/clusterz): MESH012.
    expect(cell(s, 'cluster1', 'cluster3')).toEqual({
      outcome: 'excluded',
      discovered: ['no', 'MESH012'],
      routable: ['no', 'pod-ip', 'MESH032'],
      trusted: ['yes'],
    });
    for (const [from, to] of [
      ['cluster1', 'cluster2'],
      ['cluster2', 'cluster1'],
      ['cluster3', 'cluster1'],
      ['cluster3', 'cluster2'],
      ['cluster3', 'cluster3'],
    ])
      expect(cell(s, from, to).outcome).toBe('reachable');
    // The reasons are the findings that fire, by id.
    const ids = new Set(analyzeMesh(s, { now: NOW }).map(f => f.id));
    const pair = pairOf(meshReachability(s), 'cluster2', 'cluster3')!;
    for (const r of [...pair.discovered.reasons, ...pair.routable.reasons])
      expect(ids.has(r.findingId)).toBe(true);
    expect(pair.routable.reasons[0].summary).toBe('no gateway address');
  });

  it('shows the demo topology: three networks, cluster3 with an unpublished gateway', () => {
    const m = meshReachability(demoMesh());
    expect(m.networks.map(n => [n.network, n.clusters])).toEqual([
      ['network1', ['cluster1']],
      ['network2', ['cluster2']],
      ['network3', ['cluster3']],
    ]);
    expect(m.networks[2].gateways).toEqual([
      expect.objectContaining({
        cluster: 'cluster3',
        published: false,
        ready: true,
        problems: ['MESH032'],
      }),
    ]);
  });

  it('routes to a LoadBalancer hostname, unless the client istiod runs with RESOLVE_HOSTNAME_GATEWAYS=false (MESH036)', () => {
    let s = edit(healthyMesh(), 'cluster3', d => {
      d.eastWestGateways[0].addresses = ['gw.example.com'];
      d.eastWestGateways[0].externalIPs = [];
    });
    expect(cell(s, 'cluster1', 'cluster3').routable).toEqual([
      'yes',
      'gateway',
    ]);
    expect(codes(s)).toEqual([]);
    s = edit(s, 'cluster1', d => {
      d.controlPlanes[0].resolveHostnameGateways = false;
    });
    expect(cell(s, 'cluster1', 'cluster3').routable).toEqual([
      'no',
      'pod-ip',
      'MESH036',
    ]);
    expect(cell(s, 'cluster2', 'cluster3').routable).toEqual([
      'yes',
      'gateway',
    ]);
    expect(codes(s)).toEqual(['MESH036:error']);
    const [f] = firingFindings(s, 'MESH036');
    expect(f).toMatchObject({
      clusters: ['cluster1', 'cluster3'],
      resource: {
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'istiod-1-22',
      },
    });
    expect(f.message).toContain(
      'istiod in cluster1 runs with RESOLVE_HOSTNAME_GATEWAYS=false, and east-west gateway istio-system/istio-eastwestgateway of cluster3 has only hostname addresses (gw.example.com)',
    );
    expect(f.hint).toContain(
      'kubectl -n istio-system set env deployment/istiod-1-22 RESOLVE_HOSTNAME_GATEWAYS=true --context=cluster1',
    );
  });

  it('routes to a NodePort gateway on its nodes and node port, with no finding', () => {
    const s = edit(healthyMesh(), 'cluster3', d => {
      Object.assign(d.eastWestGateways[0], {
        serviceType: 'NodePort',
        addresses: [],
        externalIPs: [],
        nodeSelector: { 'kubernetes.io/hostname': 'node-1' },
        selectedNodes: [{ name: 'node-1', externalIP: '198.51.100.7' }],
        ports: [
          { name: 'tls', port: 15443, targetPort: 15443, nodePort: 30443 },
        ],
      });
    });
    expect(
      pairOf(meshReachability(s), 'cluster1', 'cluster3')!.routable.gateways,
    ).toEqual([
      {
        cluster: 'cluster3',
        address: '198.51.100.7',
        port: 30443,
        source: 'service',
      },
    ]);
    expect(codes(s)).toEqual([]);
  });

  it('routes through an overridden gateway port with its AUTO_PASSTHROUGH Gateway, with no finding', () => {
    const s = edit(healthyMesh(), 'cluster3', d => {
      d.eastWestGateways[0].gatewayPortLabel = '443';
      d.eastWestGateways[0].ports = [
        { name: 'tls', port: 443, targetPort: 8443 },
      ];
      d.gateways[0].servers[0].port = 443;
    });
    expect(cell(s, 'cluster1', 'cluster3').routable).toEqual([
      'yes',
      'gateway',
    ]);
    expect(codes(s)).toEqual([]);
  });

  it('fails through a gateway that is down (MESH031) or has no AUTO_PASSTHROUGH Gateway (MESH034)', () => {
    const down = edit(healthyMesh(), 'cluster3', d => {
      d.eastWestGateways[0].readyReplicas = 0;
    });
    expect(cell(down, 'cluster1', 'cluster3')).toMatchObject({
      outcome: 'fails',
      routable: ['no', 'gateway', 'MESH031'],
    });
    const reset = edit(healthyMesh(), 'cluster3', d => {
      d.gateways = [];
    });
    expect(cell(reset, 'cluster1', 'cluster3').routable).toEqual([
      'no',
      'gateway',
      'MESH034',
    ]);
  });

  it('reaches a cluster without a gateway through another gateway of its network (selectNetworkGateways), and then MESH030 does not fire', () => {
    const s = edit(
      edit(healthyMesh(), 'cluster3', d => {
        d.eastWestGateways = [];
      }),
      'cluster2',
      d => {
        // cluster2 joins network2 with cluster3, and its gateway serves both.
        d.systemNamespaceNetwork = 'network2';
        d.meshConfigs[0].network = 'network2';
        d.eastWestGateways[0].network = 'network2';
      },
    );
    s.clusters.find(c => c.name === 'cluster2')!.network = 'network2';
    expect(cell(s, 'cluster1', 'cluster3').routable).toEqual([
      'yes',
      'gateway',
    ]);
    expect(
      pairOf(meshReachability(s), 'cluster1', 'cluster3')!.routable.gateways[0]
        .cluster,
    ).toBe('cluster2');
    expect(codes(s)).toEqual([]);
  });

  it('downgrades a broken gateway to a warning when the network is reached through another one', () => {
    const s = edit(
      edit(healthyMesh(), 'cluster3', d => {
        d.eastWestGateways[0].addresses = [];
      }),
      'cluster2',
      d => {
        d.systemNamespaceNetwork = 'network2';
        d.meshConfigs[0].network = 'network2';
        d.eastWestGateways[0].network = 'network2';
      },
    );
    s.clusters.find(c => c.name === 'cluster2')!.network = 'network2';
    expect(cell(s, 'cluster1', 'cluster3').routable).toEqual([
      'yes',
      'gateway',
    ]);
    const [f] = analyzeMesh(s, { now: NOW }).filter(x => x.code === 'MESH032');
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('No client cluster is cut off by it now');
  });

  it('sends pod IPs to a cluster whose istio-system has no network label (MESH035)', () => {
    const s = edit(healthyMesh(), 'cluster3', d => {
      delete d.systemNamespaceNetwork;
      delete d.meshConfigs[0].network;
    });
    expect(cell(s, 'cluster1', 'cluster3').routable).toEqual([
      'no',
      'pod-ip',
      'MESH035',
    ]);
  });

  it('trusts across a root rotation (any shared root), not across disjoint roots (MESH020)', () => {
    const rotating = edit(healthyMesh(), 'cluster3', d => {
      d.rootCA!.roots = [
        { fingerprint: OTHER_ROOT },
        { fingerprint: ROOT_FINGERPRINT },
      ];
      d.rootCA!.fingerprint = OTHER_ROOT;
    });
    expect(cell(rotating, 'cluster1', 'cluster3').trusted).toEqual(['yes']);
    expect(codes(rotating)).toEqual([]);
    const disjoint = edit(healthyMesh(), 'cluster3', d => {
      d.rootCA!.fingerprint = OTHER_ROOT;
    });
    expect(cell(disjoint, 'cluster1', 'cluster3')).toMatchObject({
      outcome: 'fails',
      trusted: ['no', 'MESH020'],
    });
    expect(cell(disjoint, 'cluster1', 'cluster2').trusted).toEqual(['yes']);
  });

  it('gives a remote cluster the discovery of its config cluster', () => {
    let s = edit(healthyMesh(), 'cluster2', d => {
      d.controlPlanes = [];
      d.remoteSecrets = [];
      d.controlPlaneClusters = ['cluster1'];
    });
    expect(cell(s, 'cluster2', 'cluster3').discovered).toEqual(['yes']);
    expect(
      pairOf(meshReachability(s), 'cluster2', 'cluster3')!.controlPlane,
    ).toBe('cluster1');
    s = edit(s, 'cluster1', d => {
      d.remoteSecrets = d.remoteSecrets.filter(r => r.cluster !== 'cluster3');
    });
    expect(cell(s, 'cluster2', 'cluster3').discovered).toEqual([
      'no',
      'MESH010',
    ]);
  });

  it('assumes yes where the data could not be read (403), and says so', () => {
    const s = edit(healthyMesh(), 'cluster1', d => {
      d.remoteSecrets = [];
      d.partialErrors = [
        { code: 'MESH092', message: 'forbidden', resource: 'secrets' },
      ];
    });
    const pair = pairOf(meshReachability(s), 'cluster1', 'cluster3')!;
    expect(pair.discovered.state).toBe('unknown');
    expect(pair.discovered.notes[0]).toContain('could not be read');
    expect(pair.outcome).toBe('reachable');
  });

  it('routes through a meshNetworks address gateway', () => {
    const s = edit(
      edit(healthyMesh(), 'cluster3', d => {
        d.eastWestGateways = [];
      }),
      'cluster1',
      d => {
        d.meshConfigs[0].meshNetworks = {
          networks: [
            {
              name: 'network2',
              fromRegistries: ['cluster3'],
              fromCidrs: [],
              gateways: [{ address: '192.0.2.50', port: 15443 }],
            },
          ],
        };
      },
    );
    expect(
      pairOf(meshReachability(s), 'cluster1', 'cluster3')!.routable,
    ).toMatchObject({
      state: 'yes',
      via: 'gateway',
      gateways: [
        { address: '192.0.2.50', port: 15443, source: 'meshNetworks' },
      ],
    });
    // cluster2's istiod has no such entry: MESH030 explains its cut.
    expect(cell(s, 'cluster2', 'cluster3').routable).toEqual([
      'no',
      'pod-ip',
      'MESH030',
    ]);
  });

  it("reads istiod's own view: synced is discovered, not synced is not (MESH012), an unlisted secret is ignored (MESH014)", () => {
    const healthy = withIstiod(healthyMesh());
    const synced = pairOf(meshReachability(healthy), 'cluster1', 'cluster3')!;
    expect(synced.discovered.state).toBe('yes');
    expect(synced.discovered.notes.join(' ')).toContain(
      'reports cluster3 synced (secret istio-system/istio-remote-secret-cluster3)',
    );
    const timedOut = edit(healthy, 'cluster1', d => {
      d.istiod![0].remoteClusters!.find(r => r.id === 'cluster3')!.syncStatus =
        'timeout';
    });
    expect(cell(timedOut, 'cluster1', 'cluster3')).toMatchObject({
      outcome: 'excluded',
      discovered: ['no', 'MESH012'],
    });
    expect(cell(timedOut, 'cluster2', 'cluster3').discovered).toEqual(['yes']);
    const ids = new Set(analyzeMesh(timedOut, { now: NOW }).map(f => f.id));
    for (const r of pairOf(meshReachability(timedOut), 'cluster1', 'cluster3')!
      .discovered.reasons)
      expect(ids.has(r.findingId)).toBe(true);
    const unlisted = edit(healthy, 'cluster1', d => {
      d.istiod![0].remoteClusters = d.istiod![0].remoteClusters!.filter(
        r => r.id !== 'cluster3',
      );
    });
    expect(cell(unlisted, 'cluster1', 'cluster3').discovered).toEqual([
      'no',
      'MESH014',
    ]);
    // Without a readable view (debug endpoints disabled), the secret decides.
    const unreadable = edit(timedOut, 'cluster1', d => {
      d.istiod![0].status = 'disabled';
      delete d.istiod![0].remoteClusters;
      delete d.istiod![0].proxies;
    });
    expect(cell(unreadable, 'cluster1', 'cluster3').discovered).toEqual([
      'yes',
    ]);
  });
});
