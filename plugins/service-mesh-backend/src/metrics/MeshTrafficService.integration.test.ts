/*
 * The traffic service against a real VictoriaMetrics: a store that is down, slow, empty or rejects the
 * credentials gives a status and a reason (never an exception), and concurrent callers share one query pair.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { appConfigFragment } from '@internal/kube-sim';
import { MeshSnapshot } from '@internal/plugin-service-mesh-common';
import http from 'node:http';
import net from 'node:net';
import { MeshSnapshotState } from '../snapshot/MeshSnapshotService';
import { snapshotServiceFor, startSim } from '../__testUtils__/kubeSim';
import { MetricsConfig } from './config';
import { DefaultMeshTrafficService } from './MeshTrafficService';
import { demoTraffic } from './__testUtils__/demoTraffic';
import {
  generateTraffic,
  importTraffic,
} from './__testUtils__/trafficGenerator';
import {
  freePort,
  RunningVictoriaMetrics,
  startVictoriaMetrics,
  victoriaMetricsRuns,
} from './__testUtils__/victoriaMetrics';

const describeVm = victoriaMetricsRuns() ? describe : describe.skip;

jest.setTimeout(60_000);

/** The kube-sim demo mesh, read once: the expected splits come from its traffic policies. */
let snapshot: MeshSnapshot;
const snapshotService = {
  current: async () =>
    ({ snapshot, findings: [] } as unknown as MeshSnapshotState),
};

beforeAll(async () => {
  const sim = await startSim('demo');
  try {
    const reader = snapshotServiceFor(appConfigFragment(sim));
    snapshot = (await reader.refresh()).snapshot;
  } finally {
    await sim.stop();
  }
});

function config(overrides: Partial<MetricsConfig> = {}): MetricsConfig {
  return {
    enabled: true,
    discoverFromServiceMesh: false,
    timeoutMs: 30_000, // generous for a loaded machine; the tests of the timeout set their own
    cacheTtlMs: 60_000,
    findingsWindow: '5m',
    thresholds: {
      splitDeviationPoints: 15,
      minRequests: 100,
      crossClusterErrorRatio: 0.01,
      crossClusterLatencyFactor: 3,
    },
    ...overrides,
  };
}

function service(overrides: Partial<MetricsConfig> = {}) {
  return DefaultMeshTrafficService.create({
    logger: mockServices.logger.mock(),
    config: config(overrides),
    snapshot: snapshotService,
  });
}

/** A loopback HTTP server; `handler` decides what each request gets. */
async function startServer(
  handler: http.RequestListener,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('MeshTrafficService without a store', () => {
  it('is unconfigured without a URL, with the reason', async () => {
    const result = await service().traffic('5m');
    expect(result).toMatchObject({
      status: 'unconfigured',
      window: '5m',
      reason: expect.stringContaining('serviceMesh.metrics.url'),
    });
  });

  it('is unreachable when nothing listens, without waiting for the timeout', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    // Waiting for this timeout would exceed the test's own (60 s); the reason is the refusal, not the timeout.
    const result = await service({ url, timeoutMs: 600_000 }).traffic('1h');
    expect(result.status).toBe('unreachable');
    expect(result.reason).toBe(
      `Cannot reach the metrics store at ${url}: ECONNREFUSED`,
    );
    expect(result.data).toBeUndefined();
  });

  it('is unreachable after the timeout when the store is slow', async () => {
    const slow = await startServer((_req, res) => {
      const timer = setTimeout(() => res.end('{}'), 10_000);
      res.on('close', () => clearTimeout(timer));
    });
    try {
      // Its answer after 10 s would be an error (not the Prometheus API): this outcome is the timeout's.
      const result = await service({ url: slow.url, timeoutMs: 300 }).traffic(
        '5m',
      );
      expect(result).toMatchObject({
        status: 'unreachable',
        reason: `The metrics store at ${slow.url} did not answer within 0.3s`,
      });
    } finally {
      await slow.close();
    }
  });

  it('is an error when the answer is not the Prometheus API', async () => {
    const proxy = await startServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    try {
      const result = await service({ url: proxy.url }).traffic('5m');
      expect(result.status).toBe('error');
      expect(result.reason).toContain('HTTP 502');
    } finally {
      await proxy.close();
    }
  });
});

describeVm('MeshTrafficService against VictoriaMetrics', () => {
  let vm: RunningVictoriaMetrics;
  let empty: RunningVictoriaMetrics;
  let secured: RunningVictoriaMetrics;
  const auth = { username: 'mesh', password: 'traffic-secret' };

  beforeAll(async () => {
    [vm, empty, secured] = await Promise.all([
      startVictoriaMetrics(),
      startVictoriaMetrics(),
      startVictoriaMetrics({ auth }),
    ]);
    const now = Date.now();
    const series = generateTraffic({
      flows: demoTraffic(),
      start: now - 3 * 3_600_000,
      end: now,
    });
    await importTraffic(vm.url, series);
    await importTraffic(secured.url, series, { auth });
  });

  afterAll(async () => {
    await Promise.all([vm?.stop(), empty?.stop(), secured?.stop()]);
  });

  it('reads every service and cluster pair with two queries, mapped to cluster names', async () => {
    const result = await service({ url: vm.url }).traffic('1h');
    expect(result).toMatchObject({
      status: 'ok',
      window: '1h',
      source: { url: vm.url, from: 'config' },
    });
    const edges = result.data!.edges;
    // 16 (service, source, destination) flows in the demo traffic (cluster3 is cut off for cluster1 and cluster2).
    expect(edges).toHaveLength(16);
    const product = edges.filter(
      e => e.service === 'product-service' && e.sourceCluster === 'cluster1',
    );
    const total = product.reduce((s, e) => s + e.requests, 0);
    // 40 rps for an hour, ±10% noise per minute.
    expect(total).toBeGreaterThan(40 * 3600 * 0.95);
    expect(total).toBeLessThan(40 * 3600 * 1.05);
    const share = (c: string) =>
      (100 * product.find(e => e.destinationCluster === c)!.requests) / total;
    expect(share('cluster1')).toBeCloseTo(77.8, 0);
    expect(product.some(e => e.destinationCluster === 'cluster3')).toBe(false);
    expect(result.data!.histograms).toHaveLength(16);
    expect(result.series).toBeGreaterThan(16);
    // The demo follows its DestinationRules.
    expect(service().findings(result, snapshot)).toEqual([]);
  });

  it('answers ok with no data when the store holds no Istio metrics', async () => {
    const result = await service({ url: empty.url }).traffic('24h');
    expect(result.status).toBe('ok');
    expect(result.data).toMatchObject({ edges: [], histograms: [] });
  });

  it('is unauthorized without or with wrong credentials, ok with the right ones', async () => {
    const none = await service({ url: secured.url }).traffic('5m');
    expect(none).toMatchObject({
      status: 'unauthorized',
      reason: `The metrics store at ${secured.url} rejected the credentials (HTTP 401); check serviceMesh.metrics.bearerToken or basicAuth`,
    });
    const wrong = await service({
      url: secured.url,
      auth: { username: 'mesh', password: 'nope' },
    }).traffic('5m');
    expect(wrong.status).toBe('unauthorized');
    // The reason never carries the password.
    expect(JSON.stringify(wrong)).not.toContain('nope');
    const right = await service({ url: secured.url, auth }).traffic('5m');
    expect(right.status).toBe('ok');
    expect(right.data!.edges.length).toBe(16);
  });

  it('shares the query in flight and caches each window for the TTL', async () => {
    const paths: string[] = [];
    const proxy = await startServer((req, res) => {
      paths.push(req.url ?? '');
      const upstream = http.request(
        `${vm.url}${req.url}`,
        { method: req.method, headers: req.headers },
        up => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    try {
      const traffic = service({ url: proxy.url, cacheTtlMs: 60_000 });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => traffic.traffic('5m')),
      );
      expect(new Set(results).size).toBe(1);
      expect(paths).toEqual(['/api/v1/query', '/api/v1/query']);
      // Cached: no new query; peek gives the same result without asking.
      expect(await traffic.traffic('5m')).toBe(results[0]);
      expect(traffic.peek('5m')).toBe(results[0]);
      expect(paths).toHaveLength(2);
      // Another window is another query pair.
      await traffic.traffic('24h');
      expect(paths).toHaveLength(4);
      expect(traffic.peek('1h')).toBeUndefined();
      // The findings of a result are computed once per snapshot.
      expect(traffic.findings(results[0], snapshot)).toBe(
        traffic.findings(results[0], snapshot),
      );
    } finally {
      await proxy.close();
    }
  });
});
