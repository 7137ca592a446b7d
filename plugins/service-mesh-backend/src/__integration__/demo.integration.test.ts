/*
 * The real plugin against the kube-sim demo mesh over HTTP: the Alauda multi-primary, multi-network guide with
 * three business clusters and the `global` management cluster.
 */
import { RunningSimulator } from '@internal/kube-sim';
import { PARTIAL_OBJECT_METADATA_LIST_ACCEPT } from '@internal/plugin-service-mesh-node';
import {
  KubeSimBackend,
  REDIS_PASSWORD,
  startBackend,
  startSim,
} from '../__testUtils__/kubeSim';

jest.setTimeout(60_000);

describe('demo mesh (kube-sim)', () => {
  let sim: RunningSimulator;
  let backend: KubeSimBackend;

  beforeAll(async () => {
    sim = await startSim('demo');
    // Poll: the request counts below are those of a full list per refresh (watch.integration.test.ts covers
    // watch, the default, whose refreshes do not list again).
    backend = await startBackend(sim, { mode: 'poll' });
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('shows every cluster with ServiceMesh status, control plane, gateway, remote secrets, root CA and localities', async () => {
    const res = await backend.get('/overview');
    expect(res.status).toBe(200);
    expect(res.body.managementCluster).toBe('global');
    expect(res.body.multiNetwork).toBe(true);
    expect(
      res.body.clusters.map((c: any) => [c.name, c.role, c.status]),
    ).toEqual([
      ['global', 'management', 'ok'],
      ['cluster1', 'member', 'ok'],
      ['cluster2', 'member', 'ok'],
      ['cluster3', 'member', 'ok'],
    ]);
    const byName = Object.fromEntries(
      res.body.clusters.map((c: any) => [c.name, c]),
    );
    expect(byName.cluster1).toMatchObject({
      region: 'us-east-1',
      network: 'network1',
      serviceMesh: {
        name: 'cluster1',
        phase: 'Deployed',
        version: 'v4.0.20',
        desiredVersion: 'v4.0.20',
        meshGroup: 'multi-cluster-mesh',
      },
      controlPlanes: [
        {
          revision: '1-22',
          version: '1.22.4',
          readyReplicas: 1,
          desiredReplicas: 1,
        },
      ],
      meshId: 'multi-cluster-mesh',
      trustDomain: 'cluster.local',
      eastWestGateway: {
        health: 'healthy',
        network: 'network1',
        readyReplicas: 1,
        desiredReplicas: 1,
        addresses: [expect.any(String)],
        ports: expect.arrayContaining([15443]),
      },
      remoteSecrets: ['cluster2', 'cluster3'],
      localities: [{ region: 'us-east-1', zone: 'us-east-1a', nodes: 3 }],
      onboardedNamespaces: ['global-svc', 'payments'],
      revisions: ['1-22'],
    });
    // cluster2's gateway is a NodePort one: istiod publishes the ExternalIPs of the two nodes its
    // traffic.istio.io/nodeSelector selects, on the node port of 15443; healthy, no finding.
    expect(byName.cluster2.eastWestGateway).toMatchObject({
      health: 'healthy',
      network: 'network2',
      addresses: ['192.0.2.21', '192.0.2.22'],
      crossNetworkPort: 31443,
    });
    // The demo's deliberate problems: cluster3 upgrading, its gateway without an external address.
    expect(byName.cluster3.serviceMesh).toMatchObject({
      version: 'v4.0.20',
      desiredVersion: 'v4.0.21',
    });
    expect(byName.cluster3.eastWestGateway).toMatchObject({
      health: 'degraded',
      addresses: [],
    });
    expect(byName.cluster3.localities).toEqual([
      { region: 'eu-west-1', zone: 'eu-west-1a', nodes: 2 },
      { region: 'eu-west-1', zone: 'eu-west-1b', nodes: 1 },
    ]);
    const fingerprints = new Set(
      ['cluster1', 'cluster2', 'cluster3'].map(
        n => byName[n].rootCA.fingerprint,
      ),
    );
    expect(fingerprints.size).toBe(1);
    expect([...fingerprints][0]).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const codes = res.body.findings.map((f: any) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining(['MESH001', 'MESH010', 'MESH032']),
    );
    // No gateway finding for the NodePort gateway (MESH030–035 are the east-west gateway codes).
    expect(
      res.body.findings
        .filter((f: any) => /^MESH03[0-5]$/.test(f.code))
        .map((f: any) => [f.code, f.clusters]),
    ).toEqual([['MESH032', ['cluster3']]]);
  });

  it("serves istiod's view on the overview and the sync of the entity's own proxies", async () => {
    const overview = await backend.get('/overview');
    const cluster1 = overview.body.clusters.find(
      (c: any) => c.name === 'cluster1',
    );
    expect(cluster1.istiod).toHaveLength(1);
    expect(cluster1.istiod[0]).toMatchObject({
      status: 'ok',
      revision: '1-22',
      clusterId: 'cluster1',
    });
    expect(cluster1.istiod[0].proxies.rows).toHaveLength(2);
    const entity = await backend.get(
      '/entity?entityRef=component:default/product-service',
    );
    const byCluster = Object.fromEntries(
      entity.body.clusters.map((c: any) => [c.cluster, c.proxySync]),
    );
    expect(byCluster.cluster1).toMatchObject({
      status: 'ok',
      proxies: 3,
      synced: 1,
    });
    expect(
      byCluster.cluster1.rows.map((r: any) => [
        r.pod,
        r.xds.EDS.state,
        r.istiod,
      ]),
    ).toEqual([
      expect.arrayContaining([
        expect.stringMatching(/^product-service-/),
        'STALE',
        'istiod-1-22-mbkf7kwt57-m7ctv',
      ]),
      expect.arrayContaining([
        expect.stringMatching(/^product-service-/),
        'STALE',
      ]),
    ]);
    expect(byCluster.cluster2).toMatchObject({ status: 'ok', rows: [] });
    expect(byCluster.cluster2.synced).toBe(byCluster.cluster2.proxies);
  });

  it("reports what istiod itself sees: cluster1's istiod cannot sync cluster3, two proxies are stale", async () => {
    const res = await backend.get('/overview');
    const istiod = res.body.findings.filter((f: any) =>
      [
        'MESH005',
        'MESH006',
        'MESH007',
        'MESH012',
        'MESH013',
        'MESH014',
        'MESH015',
        'MESH016',
        'MESH093',
      ].includes(f.code),
    );
    expect(
      istiod.map((f: any) => [f.code, f.clusters, f.resource?.name]),
    ).toEqual([
      ['MESH012', ['cluster1', 'cluster3'], 'istio-remote-secret-cluster3'],
      ['MESH015', ['cluster1'], 'global-svc'],
    ]);
    expect(istiod[0].message).toContain('as "timeout"');
    expect(istiod[1].message).toMatch(
      /^2 proxies in global-svc .*product-service-sk49fkr92z-/,
    );
  });

  it('serves product-service endpoints per cluster, region and zone', async () => {
    const res = await backend.get(
      '/entity?entityRef=component:default/product-service',
    );
    expect(res.status).toBe(200);
    expect(res.body.clusters.map((c: any) => c.cluster)).toEqual([
      'cluster1',
      'cluster2',
      'cluster3',
    ]);
    expect(
      res.body.endpointDistribution.map((r: any) => [
        r.cluster,
        r.locality.region,
        r.locality.zone,
        r.ready,
        r.notReady,
      ]),
    ).toEqual([
      ['cluster1', 'us-east-1', 'us-east-1a', 3, 0],
      ['cluster2', 'us-east-1', 'us-east-1b', 2, 0],
      ['cluster3', 'eu-west-1', 'eu-west-1a', 1, 0],
      ['cluster3', 'eu-west-1', 'eu-west-1b', 1, 0],
    ]);
    expect(
      res.body.endpointDistribution.every(
        (r: any) => r.service === 'global-svc/product-service',
      ),
    ).toBe(true);
    const c2 = res.body.clusters[1];
    expect(c2).toMatchObject({
      namespaces: [{ name: 'global-svc', onboarded: true, revision: '1-22' }],
      sidecarCoverage: { pods: 2, withSidecar: 1 },
    });
    expect(
      res.body.trafficPolicies.map((p: any) => [
        p.kind,
        p.namespace,
        p.name,
        p.clusters,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [
          'PeerAuthentication',
          'istio-system',
          'default',
          ['cluster1', 'cluster2', 'cluster3'],
        ],
      ]),
    );
    expect(res.body.simulations).toEqual([
      expect.objectContaining({ service: 'global-svc/product-service' }),
    ]);
    expect(res.body.findings.map((f: any) => f.code)).toContain('MESH063');
  });

  it('predicts only what the mesh can reach: 0% to cluster3 from cluster1 (its istiod cannot sync it) and cluster2 (no secret)', async () => {
    const res = await backend.get(
      '/entity?entityRef=component:default/product-service',
    );
    const [simulation] = res.body.simulations;
    const client = (cluster: string) =>
      simulation.result.clients.find((c: any) => c.client.cluster === cluster);
    const toCluster = (c: any, cluster: string) =>
      c.shares
        .filter((s: any) => s.cluster === cluster)
        .reduce((n: number, s: any) => n + s.share, 0);
    const reasonsOf = (c: any) =>
      c.unreachable.map((u: any) => [
        u.cluster,
        u.outcome,
        u.reasons.map((r: any) => r.code),
      ]);

    const c1 = client('cluster1');
    expect(toCluster(c1, 'cluster3')).toBe(0);
    expect(toCluster(c1, 'cluster1')).toBeCloseTo(77.78, 1);
    expect(toCluster(c1, 'cluster2')).toBeCloseTo(22.22, 1);
    // Not discovered decides (excluded); the missing route is named too (the "both: no route, MESH032").
    expect(reasonsOf(c1)).toEqual([
      ['cluster3', 'excluded', ['MESH012', 'MESH032']],
    ]);
    const c2 = client('cluster2');
    expect(toCluster(c2, 'cluster3')).toBe(0);
    expect(reasonsOf(c2)).toEqual([
      ['cluster3', 'excluded', ['MESH010', 'MESH032']],
    ]);
    // cluster3's clients keep their local traffic and reach both other clusters.
    for (const c of simulation.result.clients.filter(
      (x: any) => x.client.cluster === 'cluster3',
    )) {
      expect(toCluster(c, 'cluster3')).toBeGreaterThan(0);
      expect(toCluster(c, 'cluster1')).toBeGreaterThan(0);
      expect(c.unreachable).toBeUndefined();
    }
    // The input carries the same reachability, so the browser's what-if recomputes with it.
    expect(simulation.input.reachability).toEqual([
      expect.objectContaining({
        from: 'cluster1',
        to: 'cluster3',
        outcome: 'excluded',
      }),
      expect.objectContaining({
        from: 'cluster2',
        to: 'cluster3',
        outcome: 'excluded',
      }),
    ]);

    const overview = await backend.get('/overview');
    const matrix = overview.body.reachability;
    expect(matrix.clusters).toEqual(['cluster1', 'cluster2', 'cluster3']);
    const pair = (from: string, to: string) =>
      matrix.pairs.find((p: any) => p.from === from && p.to === to);
    const ids = new Set(overview.body.findings.map((f: any) => f.id));
    expect(pair('cluster2', 'cluster3').discovered).toMatchObject({
      state: 'no',
      reasons: [{ code: 'MESH010' }],
    });
    // The secret is there, but cluster1's istiod reports cluster3 as `timeout` (/debug/clusterz).
    expect(pair('cluster1', 'cluster3').discovered).toMatchObject({
      state: 'no',
      reasons: [{ code: 'MESH012', summary: 'istiod cannot sync it' }],
    });
    for (const from of ['cluster1', 'cluster2']) {
      const routable = pair(from, 'cluster3').routable;
      expect(routable).toMatchObject({
        state: 'no',
        via: 'pod-ip',
        reasons: [{ code: 'MESH032', summary: 'no gateway address' }],
      });
      expect(ids.has(routable.reasons[0].findingId)).toBe(true);
    }
    expect(pair('cluster3', 'cluster1').outcome).toBe('reachable');
    expect(pair('cluster1', 'cluster2').outcome).toBe('reachable');
    expect(
      matrix.networks.map((n: any) => [
        n.network,
        n.clusters,
        n.gateways.map((g: any) => g.published),
      ]),
    ).toEqual([
      ['network1', ['cluster1'], [true]],
      ['network2', ['cluster2'], [true]],
      ['network3', ['cluster3'], [false]],
    ]);
  });

  // How fast a refresh is, is measured by the benchmark (test/bench), not asserted here.
  it('reads each cluster with one list per resource type', async () => {
    sim.resetRequestCounts();
    const res = await backend.refresh();
    expect(res.status).toBe(200);
    expect(res.body.clusters.every((c: any) => c.status === 'ok')).toBe(true);
    expect(sim.requestCount('global')).toBe(1);
    for (const member of ['cluster1', 'cluster2', 'cluster3']) {
      // 16 lists (revision tags, AuthorizationPolicies, Sidecars and ServiceEntries among them), plus istiod's view: the istiod pods, then clusterz of one
      // pod through a port-forward; syncz was read by the start's refresh and is not due again within
      // serviceMesh.istiod.proxySyncIntervalSeconds (default 900). cluster2's NodePort east-west gateway costs one
      // more: the full list of the nodes its traffic.istio.io/nodeSelector selects (their ExternalIPs are its addresses).
      expect(sim.requestCount(member)).toBe(member === 'cluster2' ? 19 : 18);
      expect(sim.requestStats(member).byResource['get pods/portforward']).toBe(
        1,
      );
      expect(
        sim.requestStats(member).byResource['get pods/proxy'],
      ).toBeUndefined();
    }
    // Reading requests never reach the clusters.
    sim.resetRequestCounts();
    await backend.get('/overview');
    await backend.get('/entity?entityRef=component:default/product-service');
    expect(sim.requestCount()).toBe(0);
  });

  it('never requests secret data and never returns the ServiceMesh Redis password', async () => {
    await backend.refresh();
    const bodies = [
      (await backend.get('/health')).text,
      (await backend.get('/clusters')).text,
      (await backend.get('/overview')).text,
      (await backend.get('/entity?entityRef=component:default/product-service'))
        .text,
      (await backend.refresh()).text,
    ];
    for (const body of bodies) expect(body).not.toContain(REDIS_PASSWORD);

    const secretRequests = sim.clusters.flatMap(cluster =>
      sim
        .requestLog(cluster.name)
        .filter(e => e.resource === 'secrets' || e.path.includes('/secrets')),
    );
    // Two refreshes of three members.
    expect(secretRequests.length).toBeGreaterThanOrEqual(6);
    for (const entry of secretRequests) {
      expect(entry).toMatchObject({
        method: 'GET',
        verb: 'list',
        accept: PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
      });
    }
  });
});
