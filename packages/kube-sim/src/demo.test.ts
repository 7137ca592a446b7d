// The demo scenario holds exactly the deliberate problems listed in scenarios/demo/README.md and is otherwise
// healthy and consistent: other packages assert exact finding codes against it.
import { X509Certificate } from 'node:crypto';
import { startSimulator } from './simulator.ts';
import type { RunningSimulator } from './types.ts';
import { raw, scenarioDir } from './__testUtils__/sim.ts';
import { portForwardGet } from './__testUtils__/portForward.ts';

jest.setTimeout(30_000);

let sim: RunningSimulator;
const members = ['cluster1', 'cluster2', 'cluster3'];

beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: scenarioDir('demo') });
});

afterAll(async () => {
  await sim?.stop();
});

const items = async (cluster: string, path: string) => {
  const res = await raw(sim, cluster, path);
  expect(res.status).toBe(200);
  return res.body.items as any[];
};

it('loads without warnings', () => {
  expect(sim.warnings).toEqual([]);
  expect(sim.managementCluster).toBe('global');
  expect(sim.clusters.map(c => [c.name, c.region, c.network])).toEqual([
    ['global', undefined, undefined],
    ['cluster1', 'us-east-1', 'network1'],
    ['cluster2', 'us-east-1', 'network2'],
    ['cluster3', 'eu-west-1', 'network3'],
  ]);
});

it('MESH001: ServiceMesh cluster3 is upgrading; cluster1 and cluster2 are deployed', async () => {
  const meshes = await items(
    'global',
    '/apis/asm.alauda.io/v1alpha1/namespaces/cpaas-system/servicemeshes',
  );
  expect(
    Object.fromEntries(meshes.map(m => [m.metadata.name, m.status])),
  ).toEqual({
    cluster1: {
      state: '',
      synthesisPhase: 'Deployed',
      phase: 'Deployed',
      version: 'v4.0.20',
      desiredVersion: 'v4.0.20',
    },
    cluster2: {
      state: '',
      synthesisPhase: 'Deployed',
      phase: 'Deployed',
      version: 'v4.0.20',
      desiredVersion: 'v4.0.20',
    },
    cluster3: {
      synthesisPhase: 'Deployed',
      phase: 'Deployed',
      version: 'v4.0.20',
      desiredVersion: 'v4.0.21',
    },
  });
  for (const m of meshes) {
    expect(m.metadata.labels).toMatchObject({
      'asm.cpaas.io/meshgroup': 'multi-cluster-mesh',
      'asm.cpaas.io/cluster': m.metadata.name,
    });
    expect(m.spec).toMatchObject({
      istioVersion: '1.22.4+202408291030',
      monitorType: 'victoriametrics',
      prometheusURL: 'http://127.0.0.1:8428',
      multiCluster: { enabled: true, isMultiNetwork: true },
      redis: { password: 'demo-redis-PASSWORD-do-not-leak' },
    });
  }
  const nodes = await items('global', '/api/v1/nodes');
  expect(
    nodes.map(n =>
      Object.keys(n.metadata.labels).filter(k => k.startsWith('topology.')),
    ),
  ).toEqual([[]]);
});

it('MESH010: cluster2 lacks the remote secret of cluster3; the rest of the matrix is there', async () => {
  const peers: Record<string, string[]> = {};
  for (const c of members) {
    const secrets = await items(
      c,
      '/api/v1/namespaces/istio-system/secrets?labelSelector=istio%2FmultiCluster%3Dtrue',
    );
    peers[c] = secrets
      .map(s => s.metadata.annotations['networking.istio.io/cluster'])
      .sort();
    for (const s of secrets)
      expect(s.metadata.name).toBe(
        `istio-remote-secret-${s.metadata.annotations['networking.istio.io/cluster']}`,
      );
  }
  expect(peers).toEqual({
    cluster1: ['cluster2', 'cluster3'],
    cluster2: ['cluster1'],
    cluster3: ['cluster1', 'cluster2'],
  });
});

it('MESH032: only cluster3 has an east-west gateway without an address; gateways are otherwise complete', async () => {
  const addresses: Record<string, unknown> = {};
  const types: Record<string, unknown> = {};
  for (const c of members) {
    const svc = (
      await raw(
        sim,
        c,
        '/api/v1/namespaces/istio-system/services/istio-eastwestgateway',
      )
    ).body;
    addresses[c] = svc.status.loadBalancer.ingress ?? null;
    types[c] = svc.spec.type;
    expect(svc.spec.ports.map((p: any) => [p.name, p.port])).toEqual([
      ['status-port', 15021],
      ['tls', 15443],
      ['tls-istiod', 15012],
      ['tls-webhook', 15017],
    ]);
    const network = `network${c.slice(-1)}`;
    expect(svc.metadata.labels['topology.istio.io/network']).toBe(network);
    const ns = (await raw(sim, c, '/api/v1/namespaces/istio-system')).body;
    expect(ns.metadata.labels['topology.istio.io/network']).toBe(network);
    const gw = (
      await raw(
        sim,
        c,
        '/apis/networking.istio.io/v1/namespaces/istio-system/gateways/cross-network-gateway',
      )
    ).body;
    expect(gw.spec.servers).toEqual([
      {
        port: { number: 15443, name: 'tls', protocol: 'TLS' },
        tls: { mode: 'AUTO_PASSTHROUGH' },
        hosts: ['*.local'],
      },
    ]);
    const deployments = await items(
      c,
      '/apis/apps/v1/namespaces/istio-system/deployments',
    );
    expect(
      deployments.map(d => [
        d.metadata.name,
        d.status.readyReplicas,
        d.spec.replicas,
      ]),
    ).toEqual([
      ['istio-eastwestgateway', 1, 1],
      ['istiod-1-22', 1, 1],
    ]);
    const istiod = deployments[1];
    expect(istiod.metadata.labels).toMatchObject({
      app: 'istiod',
      'istio.io/rev': '1-22',
      'operator.istio.io/version': '1.22.4',
      'app.kubernetes.io/version': '1.22.4',
    });
    expect(istiod.spec.template.spec.containers[0].image).toMatch(
      /\/pilot:1\.22\.4$/,
    );
    expect(istiod.spec.template.spec.containers[0].env).toContainEqual({
      name: 'CLUSTER_ID',
      value: c,
    });
    const mesh = (
      await raw(sim, c, '/api/v1/namespaces/istio-system/configmaps/istio-1-22')
    ).body.data.mesh;
    expect(mesh).toMatch(/trustDomain: cluster.local/);
    expect(mesh).toMatch(/meshId: multi-cluster-mesh/);
  }
  // cluster2's gateway is a NodePort one (no load balancer): its addresses are node ExternalIPs (next test).
  expect(types).toEqual({
    cluster1: 'LoadBalancer',
    cluster2: 'NodePort',
    cluster3: 'LoadBalancer',
  });
  expect(addresses).toEqual({
    cluster1: [{ ip: '192.0.2.11' }],
    cluster2: null,
    cluster3: null,
  });
});

it('cluster2 has a NodePort east-west gateway: two of its nodes match traffic.istio.io/nodeSelector and have an ExternalIP', async () => {
  // What istiod reads (pilot/pkg/serviceregistry/kube/controller): the annotation as JSON labels (util.go
  // getNodeSelectorsForService), each node's first ExternalIP (controller.go onNodeEvent), the nodes whose labels
  // include the selector (network.go updateServiceNodePortAddresses), and the node port of the gateway port
  // (kube/conversion.go ConvertService).
  const svc = (
    await raw(
      sim,
      'cluster2',
      '/api/v1/namespaces/istio-system/services/istio-eastwestgateway',
    )
  ).body;
  const selector = JSON.parse(
    svc.metadata.annotations['traffic.istio.io/nodeSelector'],
  );
  expect(selector).toEqual({ 'node.example.com/eastwest-gateway': 'true' });
  expect(svc.spec.externalIPs).toBeUndefined();
  expect(svc.spec.ports.find((p: any) => p.port === 15443).nodePort).toBe(
    31443,
  );
  const nodes = await items('cluster2', '/api/v1/nodes');
  const externalIP = (n: any) =>
    n.status.addresses.find((a: any) => a.type === 'ExternalIP')?.address;
  expect(nodes.map(n => [n.metadata.name, externalIP(n)])).toEqual([
    ['cluster2-node-1', '192.0.2.21'],
    ['cluster2-node-2', '192.0.2.22'],
    ['cluster2-node-3', '192.0.2.23'],
  ]);
  const selected = nodes.filter(n =>
    Object.entries(selector).every(([k, v]) => n.metadata.labels[k] === v),
  );
  expect(selected.map(externalIP)).toEqual(['192.0.2.21', '192.0.2.22']);
  // The label selector the backend lists the gateway's nodes with gives the same two.
  const listed = await items(
    'cluster2',
    '/api/v1/nodes?labelSelector=node.example.com%2Feastwest-gateway%3Dtrue',
  );
  expect(listed.map(n => n.metadata.name)).toEqual([
    'cluster2-node-1',
    'cluster2-node-2',
  ]);
  // Nodes of the other clusters have no ExternalIP: their gateways are LoadBalancer ones.
  for (const c of ['cluster1', 'cluster3'])
    expect(
      (await items(c, '/api/v1/nodes')).map(externalIP).filter(Boolean),
    ).toEqual([]);
});

it('MESH052: the product-service DestinationRule differs in cluster3 only; other policies are identical', async () => {
  const specs = async (path: string) =>
    Promise.all(
      members.map(async c =>
        JSON.stringify((await raw(sim, c, path)).body.spec),
      ),
    );
  const product = await specs(
    '/apis/networking.istio.io/v1/namespaces/global-svc/destinationrules/product-service',
  );
  expect(product[0]).toBe(product[1]);
  expect(product[2]).not.toBe(product[0]);
  expect(
    JSON.parse(product[0]).trafficPolicy.loadBalancer.localityLbSetting
      .distribute,
  ).toEqual([
    {
      from: 'us-east-1/*',
      to: {
        'us-east-1/us-east-1a/*': 70,
        'us-east-1/us-east-1b/*': 20,
        'eu-west-1/*': 10,
      },
    },
  ]);
  expect(
    JSON.parse(product[2]).trafficPolicy.loadBalancer.localityLbSetting
      .distribute[0].to,
  ).toEqual({
    'us-east-1/us-east-1a/*': 60,
    'us-east-1/us-east-1b/*': 30,
    'eu-west-1/*': 10,
  });
  for (const path of [
    '/apis/networking.istio.io/v1/namespaces/istio-system/destinationrules/global',
    '/apis/networking.istio.io/v1/namespaces/global-svc/virtualservices/storefront',
    '/apis/security.istio.io/v1/namespaces/istio-system/peerauthentications/default',
  ]) {
    expect(new Set(await specs(path)).size).toBe(1);
  }
  const global = (
    await raw(
      sim,
      'cluster1',
      '/apis/networking.istio.io/v1/namespaces/istio-system/destinationrules/global',
    )
  ).body.spec;
  expect(global).toEqual({
    host: '*.cluster.local',
    trafficPolicy: {
      loadBalancer: {
        localityLbSetting: {
          enabled: true,
          failover: [{ from: 'us-east-1', to: 'eu-west-1' }],
        },
      },
      outlierDetection: {
        consecutive5xxErrors: 1,
        interval: '10s',
        baseEjectionTime: '600s',
        maxEjectionPercent: 100,
      },
    },
  });
});

it('MESH062: payments is onboarded in cluster1 and cluster2 but not cluster3; no namespace mixes injection labels', async () => {
  const labels: Record<string, Record<string, string>> = {};
  for (const c of members) {
    const namespaces = await items(c, '/api/v1/namespaces');
    expect(
      namespaces.filter(
        ns =>
          ns.metadata.labels['istio.io/rev'] &&
          ns.metadata.labels['istio-injection'],
      ),
    ).toEqual([]);
    labels[c] = namespaces.find(
      ns => ns.metadata.name === 'payments',
    ).metadata.labels;
    expect(
      namespaces.find(ns => ns.metadata.name === 'global-svc').metadata.labels,
    ).toMatchObject({
      'cpaas.io/serviceMesh': 'enabled',
      'istio.io/rev': '1-22',
    });
  }
  expect(labels.cluster1).toMatchObject({
    'cpaas.io/serviceMesh': 'enabled',
    'istio.io/rev': '1-22',
  });
  // cluster2's payments asks for the revision tag prod, which points at 1-22 (a revision tag, not MESH061).
  expect(labels.cluster2).toMatchObject({
    'cpaas.io/serviceMesh': 'enabled',
    'istio.io/rev': 'prod',
  });
  expect(labels.cluster3).toEqual({
    'kubernetes.io/metadata.name': 'payments',
  });
  expect(
    (await items('cluster3', '/api/v1/namespaces/payments/pods')).length,
  ).toBe(0);
});

it('cluster2 has the revision tag prod → 1-22, listed as metadata with the istio.io/tag selector', async () => {
  const tags = await items(
    'cluster2',
    '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=istio.io%2Ftag',
  );
  expect(
    tags.map(t => [
      t.metadata.name,
      t.metadata.labels['istio.io/tag'],
      t.metadata.labels['istio.io/rev'],
    ]),
  ).toEqual([['istio-revision-tag-prod', 'prod', '1-22']]);
  for (const c of ['cluster1', 'cluster3'])
    expect(
      await items(
        c,
        '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=istio.io%2Ftag',
      ),
    ).toEqual([]);
});

it('MESH063: one product-service pod in cluster2 has no sidecar; every other mesh pod has one', async () => {
  const withoutSidecar: string[] = [];
  for (const c of members) {
    for (const ns of ['global-svc', 'payments']) {
      for (const pod of await items(c, `/api/v1/namespaces/${ns}/pods`)) {
        const sidecar = pod.spec.containers.some(
          (x: any) => x.name === 'istio-proxy',
        );
        expect(!!pod.metadata.labels['security.istio.io/tlsMode']).toBe(
          sidecar,
        );
        if (!sidecar) withoutSidecar.push(`${c}/${pod.metadata.labels.app}`);
      }
    }
  }
  expect(withoutSidecar).toEqual(['cluster2/product']);
});

it('places endpoints as described, on nodes of the right zones', async () => {
  const placement: Record<string, string[]> = {};
  for (const c of members) {
    const nodes = Object.fromEntries(
      (await items(c, '/api/v1/nodes')).map(n => [
        n.metadata.name,
        n.metadata.labels['topology.kubernetes.io/zone'],
      ]),
    );
    for (const ns of ['global-svc', 'payments']) {
      for (const slice of await items(
        c,
        `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
      )) {
        for (const e of slice.endpoints) {
          expect(e.zone).toBe(nodes[e.nodeName]);
          const key = `${c}/${slice.metadata.labels['kubernetes.io/service-name']}`;
          placement[key] = [
            ...(placement[key] ?? []),
            `${e.zone}${e.conditions.ready ? '' : ' (not ready)'}`,
          ];
        }
      }
    }
  }
  expect(placement).toEqual({
    'cluster1/product-service': ['us-east-1a', 'us-east-1a', 'us-east-1a'],
    'cluster1/storefront': ['us-east-1a', 'us-east-1a'],
    'cluster1/inventory': ['us-east-1a', 'us-east-1a'],
    'cluster1/payments': ['us-east-1a'],
    'cluster2/product-service': ['us-east-1b', 'us-east-1b'],
    'cluster2/inventory': ['us-east-1b', 'us-east-1b (not ready)'],
    'cluster2/payments': ['us-east-1b'],
    'cluster3/product-service': ['eu-west-1a', 'eu-west-1b'],
    'cluster3/storefront': ['eu-west-1a'],
  });
});

it('has every mesh Service in every member with identical specs, and one root CA everywhere', async () => {
  for (const ns of ['global-svc', 'payments']) {
    const specs = await Promise.all(
      members.map(async c =>
        (
          await items(c, `/api/v1/namespaces/${ns}/services`)
        ).map(s =>
          JSON.stringify([s.metadata.name, s.metadata.labels, s.spec]),
        ),
      ),
    );
    expect(specs[1]).toEqual(specs[0]);
    expect(specs[2]).toEqual(specs[0]);
  }
  const pems = new Set<string>();
  for (const c of members) {
    for (const ns of ['istio-system', 'global-svc', 'payments']) {
      pems.add(
        (
          await raw(
            sim,
            c,
            `/api/v1/namespaces/${ns}/configmaps/istio-ca-root-cert`,
          )
        ).body.data['root-cert.pem'],
      );
    }
  }
  expect(pems.size).toBe(1);
  const cert = new X509Certificate([...pems][0]);
  expect(cert.subject).toBe('O=cluster.local\nCN=Root CA');
  expect(new Date(cert.validTo).getTime()).toBeGreaterThan(
    Date.now() + 365 * 86400_000,
  );
});

it("MESH012/MESH015: only cluster1's istiod reports a remote it cannot sync and stale proxies", async () => {
  const proxy = async (cluster: string, path: string) => {
    const pods = await items(
      cluster,
      '/api/v1/namespaces/istio-system/pods?labelSelector=app%3Distiod',
    );
    expect(pods).toHaveLength(1);
    // as istioctl reads it: a port-forward to istiod's monitoring port
    const res = await portForwardGet(
      sim,
      cluster,
      'istio-system',
      pods[0].metadata.name,
      `/debug/${path}`,
      15014,
    );
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as any[];
  };
  for (const cluster of members) {
    const remotes = (await proxy(cluster, 'clusterz')).slice(1);
    const notSynced = remotes
      .filter(r => r.syncStatus !== 'synced')
      .map(r => r.id);
    expect([cluster, notSynced]).toEqual([
      cluster,
      cluster === 'cluster1' ? ['cluster3'] : [],
    ]);
    const stale = (await proxy(cluster, 'syncz'))
      .filter(e =>
        Object.values(e.resources).some((r: any) => r.sent !== r.acked),
      )
      .map(e => e.proxy)
      .sort();
    expect([cluster, stale]).toEqual([
      cluster,
      cluster === 'cluster1'
        ? [
            'product-service-sk49fkr92z-jcqcc.global-svc',
            'product-service-sk49fkr92z-qsjxj.global-svc',
          ]
        : [],
    ]);
  }
});
