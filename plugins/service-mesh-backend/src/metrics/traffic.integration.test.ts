/*
 * Live traffic end to end: the real plugin reads the kube-sim demo mesh over HTTP and a real VictoriaMetrics
 * loaded with generated Istio metrics, and serves /traffic, /traffic/mesh and the findings.
 */
import { RunningSimulator } from '@internal/kube-sim';
import {
  EntityTrafficResponse,
  MeshTrafficResponse,
} from '@internal/plugin-service-mesh-common';
import {
  KubeSimBackend,
  startBackend,
  startSim,
} from '../__testUtils__/kubeSim';
import {
  demoTraffic,
  demoTrafficIgnoringDestinationRule,
} from './__testUtils__/demoTraffic';
import {
  generateTraffic,
  importTraffic,
  TrafficFlowSpec,
} from './__testUtils__/trafficGenerator';
import {
  freePort,
  RunningVictoriaMetrics,
  startVictoriaMetrics,
  victoriaMetricsRuns,
} from './__testUtils__/victoriaMetrics';

const describeVm = victoriaMetricsRuns() ? describe : describe.skip;

jest.setTimeout(120_000);

const PRODUCT = 'component:default/product-service';

/** The last 24h (and 10 minutes) at one-minute resolution, so every window has data. */
async function loadedStore(
  flows: TrafficFlowSpec[],
): Promise<RunningVictoriaMetrics> {
  const vm = await startVictoriaMetrics();
  const now = Date.now();
  await importTraffic(
    vm.url,
    generateTraffic({ flows, start: now - 24 * 3_600_000 - 600_000, end: now }),
  );
  return vm;
}

function codes(findings: Array<{ code: string }>): string[] {
  return findings.map(f => f.code);
}

describeVm('live traffic (kube-sim demo + VictoriaMetrics)', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSim('demo');
  });

  afterAll(async () => {
    await sim?.stop();
  });

  describe('traffic that follows the DestinationRules', () => {
    let vm: RunningVictoriaMetrics;
    let backend: KubeSimBackend;

    beforeAll(async () => {
      vm = await loadedStore(demoTraffic());
      backend = await startBackend(sim, { metrics: { url: vm.url } });
    });

    afterAll(async () => {
      await vm?.stop();
    });

    it.each(['5m', '1h', '24h'])(
      'shows product-service’s actual split next to the expected one over %s',
      async window => {
        const res = await backend.get(
          `/traffic?entityRef=${PRODUCT}&window=${window}`,
        );
        expect(res.status).toBe(200);
        const body: EntityTrafficResponse = res.body;
        expect(body).toMatchObject({
          status: 'ok',
          window,
          entityRef: PRODUCT,
          source: { url: vm.url, from: 'config' },
          thresholds: { splitDeviationPoints: 15, minRequests: 100 },
          findings: [],
        });
        expect(body.services.map(s => s.name)).toEqual(['product-service']);
        const [svc] = body.services;
        expect(svc.sources.map(s => s.cluster)).toEqual([
          'cluster1',
          'cluster2',
          'cluster3',
        ]);
        const cluster1 = svc.sources[0];
        expect(cluster1.localities).toEqual([
          { region: 'us-east-1', zone: 'us-east-1a' },
        ]);
        // 70/20/10, but cluster1's istiod cannot sync cluster3 (MESH012): its endpoints are not in cluster1's EDS.
        expect(cluster1.expectation).toEqual({
          mode: 'distribute',
          policy: 'global-svc/product-service in cluster1',
          unreachable: [
            {
              cluster: 'cluster3',
              outcome: 'excluded',
              reasons: [
                {
                  code: 'MESH012',
                  findingId:
                    'MESH012-cluster1-cluster3-secret-istio-system-istio-remote-secret-cluster3-1-22',
                  summary: 'istiod cannot sync it',
                },
                // cluster3's gateway has no address either: named after the deciding reason.
                {
                  code: 'MESH032',
                  findingId:
                    'MESH032-cluster3-service-istio-system-istio-eastwestgateway',
                  summary: 'no gateway address',
                },
              ],
            },
          ],
        });
        expect(
          cluster1.destinations.map(d => [d.cluster, d.expectedShare]),
        ).toEqual([
          ['cluster1', 77.8],
          ['cluster2', 22.2],
        ]);
        for (const d of cluster1.destinations) {
          expect(Math.abs(d.deviation!)).toBeLessThan(5);
        }
        expect(cluster1.requestsPerSecond).toBeGreaterThan(36);
        expect(cluster1.requestsPerSecond).toBeLessThan(44);
        expect(svc.sources[2].destinations.map(d => d.expectedShare)).toEqual([
          42.9, 28.6, 28.6,
        ]);
        // 0.2% 5xx; latency grows with distance but stays within 3× the local p95.
        expect(svc.errorRatio).toBeGreaterThan(0);
        expect(svc.errorRatio).toBeLessThan(0.01);
        expect(svc.latency.local.p50).toBeGreaterThan(5);
        expect(svc.latency.crossCluster.p95!).toBeGreaterThan(
          svc.latency.local.p95!,
        );
        expect(svc.latency.crossCluster.p95!).toBeLessThan(
          3 * svc.latency.local.p95!,
        );
      },
    );

    it('serves the cluster-to-cluster matrix', async () => {
      const res = await backend.get('/traffic/mesh?window=1h');
      expect(res.status).toBe(200);
      const body: MeshTrafficResponse = res.body;
      expect(body.status).toBe('ok');
      expect(body.clusters).toEqual(['cluster1', 'cluster2', 'cluster3']);
      // Nothing measured where the mesh cannot send: cluster3 is cut off for cluster1 and cluster2.
      expect(
        body.edges.map(e => `${e.sourceCluster}→${e.destinationCluster}`),
      ).toEqual([
        'cluster1→cluster1',
        'cluster1→cluster2',
        'cluster2→cluster1',
        'cluster2→cluster2',
        'cluster3→cluster1',
        'cluster3→cluster2',
        'cluster3→cluster3',
      ]);
      const c1c1 = body.edges.find(
        e =>
          e.sourceCluster === 'cluster1' && e.destinationCluster === 'cluster1',
      )!;
      // product-service 31 + storefront 30 + inventory 20 + payments 8 requests/s.
      expect(c1c1.requestsPerSecond).toBeGreaterThan(84);
      expect(c1c1.requestsPerSecond).toBeLessThan(94);
      expect(body.findings).toEqual([]);
    });

    it('adds no live-traffic finding to the demo’s findings', async () => {
      const overview = await backend.get('/overview');
      expect(codes(overview.body.findings)).not.toContain('MESH080');
      expect(codes(overview.body.findings)).not.toContain('MESH081');
    });

    it('rejects a bad window and a missing entityRef', async () => {
      const bad = await backend.get(`/traffic?entityRef=${PRODUCT}&window=2h`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toEqual({
        name: 'InputError',
        message: 'Invalid query: window must be one of 5m, 1h, 24h',
      });
      expect((await backend.get('/traffic/mesh?window=7d')).status).toBe(400);
      expect((await backend.get('/traffic?window=5m')).status).toBe(400);
      expect(
        (await backend.get('/traffic?entityRef=component:default/nope')).status,
      ).toBe(404);
    });
  });

  describe('traffic that ignores the DestinationRule', () => {
    let vm: RunningVictoriaMetrics;
    let backend: KubeSimBackend;

    beforeAll(async () => {
      vm = await loadedStore(demoTrafficIgnoringDestinationRule());
      backend = await startBackend(sim, { metrics: { url: vm.url } });
    });

    afterAll(async () => {
      await vm?.stop();
    });

    it('raises MESH080 for product-service from cluster1 in every window', async () => {
      for (const window of ['5m', '1h', '24h']) {
        const res = await backend.get(
          `/traffic?entityRef=${PRODUCT}&window=${window}`,
        );
        const body: EntityTrafficResponse = res.body;
        // Round robin 60/40 instead of 77.8/22.2 (cluster3 is not discovered from cluster1 either way).
        expect(codes(body.findings)).toEqual(['MESH080']);
        expect(body.findings[0]).toMatchObject({
          clusters: ['cluster1', 'cluster2'],
          resource: {
            kind: 'Service',
            namespace: 'global-svc',
            name: 'product-service',
          },
        });
        // 60/40 within the generator's noise.
        expect(body.findings[0].message).toMatch(
          /went cluster1 (59|60|61)%, cluster2 (39|40|41)%; the traffic policies predict cluster1 78%, cluster2 22%/,
        );
        expect(body.findings[0].message).toContain(
          "cluster1's istiod does not discover cluster3, so none should go there",
        );
        const cluster1 = body.services[0].sources[0];
        expect(cluster1.maxDeviation).toBeGreaterThan(15);
      }
    });

    it('adds MESH080 to the overview and to the entity’s findings', async () => {
      const overview = await backend.get('/overview');
      expect(codes(overview.body.findings)).toContain('MESH080');
      const entity = await backend.get(`/entity?entityRef=${PRODUCT}`);
      expect(codes(entity.body.findings)).toContain('MESH080');
      const mesh = await backend.get('/traffic/mesh?window=5m');
      expect(codes(mesh.body.findings)).toEqual(['MESH080']);
    });
  });

  describe('a metrics store that is down', () => {
    let backend: KubeSimBackend;
    let url: string;

    beforeAll(async () => {
      url = `http://127.0.0.1:${await freePort()}`;
      backend = await startBackend(sim, {
        // generous: the refusal must come first even on a loaded machine
        metrics: { url, timeoutSeconds: 30 },
      });
    });

    it('degrades to “no live data” with the reason, never to an error', async () => {
      const res = await backend.get(`/traffic?entityRef=${PRODUCT}&window=1h`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'unreachable',
        reason: `Cannot reach the metrics store at ${url}: ECONNREFUSED`,
        window: '1h',
        services: [],
        findings: [],
      });
      const mesh = await backend.get('/traffic/mesh');
      expect(mesh.status).toBe(200);
      expect(mesh.body).toMatchObject({
        status: 'unreachable',
        window: '5m',
        edges: [],
      });
      const overview = await backend.get('/overview');
      expect(overview.status).toBe(200);
      expect(codes(overview.body.findings)).not.toContain('MESH080');
    });
  });
});
