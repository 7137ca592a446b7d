/*
 * Traffic over time end to end: the real plugin against the kube-sim demo mesh and a real VictoriaMetrics
 * loaded with 24 h of generated Istio metrics, through `GET /traffic/timeseries` (range queries).
 */
import { RunningSimulator } from '@internal/kube-sim';
import { TrafficTimeSeriesResponse } from '@internal/plugin-service-mesh-common';
import {
  KubeSimBackend,
  startBackend,
  startSim,
} from '../__testUtils__/kubeSim';
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
import { timeSeriesQueries } from './timeseries';

const describeVm = victoriaMetricsRuns() ? describe : describe.skip;

jest.setTimeout(120_000);

describeVm('traffic time series (kube-sim demo + VictoriaMetrics)', () => {
  let sim: RunningSimulator;
  let vm: RunningVictoriaMetrics;
  let backend: KubeSimBackend;

  beforeAll(async () => {
    sim = await startSim('demo');
    vm = await startVictoriaMetrics();
    const now = Date.now();
    await importTraffic(
      vm.url,
      generateTraffic({
        flows: demoTraffic(),
        start: now - 24 * 3_600_000 - 600_000,
        end: now,
      }),
    );
    backend = await startBackend(sim, { metrics: { url: vm.url } });
  });

  afterAll(async () => {
    await vm?.stop();
    await sim?.stop();
  });

  it.each(['1h', '24h'])(
    'plots rate, 5xx ratio and p95 per cluster pair over %s',
    async range => {
      const res = await backend.get(`/traffic/timeseries?range=${range}`);
      expect(res.status).toBe(200);
      const body: TrafficTimeSeriesResponse = res.body;
      expect(body).toMatchObject({ status: 'ok', range });
      expect(body.stepSeconds).toBe(range === '1h' ? 60 : 1440);
      const pairs = new Set(
        body.series.map(s => `${s.source}->${s.destination}`),
      );
      // cluster1's clients call cluster1 and cluster2 (the demo's 70/20/10 rule, without cluster3: cluster1's
      // istiod cannot sync it), and nothing is measured where the mesh cannot send.
      for (const to of ['cluster1', 'cluster2'])
        expect(pairs).toContain(`cluster1->${to}`);
      expect(pairs).not.toContain('cluster1->cluster3');
      for (const metric of ['requestRate', 'errorRatio', 'p95Ms'] as const) {
        const s = body.series.find(
          x =>
            x.metric === metric &&
            x.source === 'cluster1' &&
            x.destination === 'cluster1',
        );
        expect(s).toBeDefined();
        expect(s!.points.length).toBeGreaterThan(50);
        expect(s!.points.length).toBeLessThanOrEqual(61);
        for (const [t, v] of s!.points) {
          expect(Number.isFinite(t) && Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
        const highest = Math.max(...s!.points.map(p => p[1]));
        expect(metric !== 'errorRatio' || highest <= 1).toBe(true);
      }
      const rate = body.series.find(
        s =>
          s.metric === 'requestRate' &&
          s.source === 'cluster1' &&
          s.destination === 'cluster1',
      )!;
      expect(Math.max(...rate.points.map(p => p[1]))).toBeGreaterThan(1);
    },
  );

  it('refuses an unknown range', async () => {
    const res = await backend.get('/traffic/timeseries?range=7d');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/range must be one of 1h, 6h, 24h/);
  });

  it('says unreachable, not an error page, when the store is down', async () => {
    const down = await startBackend(sim, {
      metrics: { url: `http://127.0.0.1:${await freePort()}` },
    });
    const res = await down.get('/traffic/timeseries?range=1h');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'unreachable', series: [] });
  });

  it('asks for the rate over at least one step', () => {
    expect(timeSeriesQueries(1440).requestRate).toContain('[1440s]');
    expect(timeSeriesQueries(60).requestRate).toContain('[300s]');
  });
});
