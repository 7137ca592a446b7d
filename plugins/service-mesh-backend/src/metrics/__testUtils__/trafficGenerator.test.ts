import { TRAFFIC_WINDOW_SECONDS } from '@internal/plugin-service-mesh-common';
import { demoTraffic } from './demoTraffic';
import {
  generateTraffic,
  latencyCdf,
  toImportChunks,
} from './trafficGenerator';

describe('generateTraffic', () => {
  const start = Date.UTC(2026, 0, 20, 0, 0);
  const end = start + 3 * 3_600_000;
  const series = generateTraffic({ flows: demoTraffic(), start, end });

  it('writes requests (200 and 503) and latency buckets per flow, one sample a minute', () => {
    const requests = series.filter(
      s => s.metric.__name__ === 'istio_requests_total',
    );
    // 16 flows (service, source, destination: cluster3 gets no product-service calls from cluster1 or
    // cluster2), 200 and 503 each.
    expect(requests).toHaveLength(32);
    expect(series).toHaveLength(16 * (2 + 14));
    for (const s of series) {
      expect(s.timestamps).toHaveLength(181);
      expect(s.values).toHaveLength(181);
      expect(s.metric).toMatchObject({ reporter: 'source' });
    }
    expect(requests[0].metric).toMatchObject({
      source_cluster: 'cluster1',
      destination_cluster: 'cluster1',
      destination_service: 'product-service.global-svc.svc.cluster.local',
      destination_service_name: 'product-service',
      destination_service_namespace: 'global-svc',
      response_code: '200',
    });
  });

  it('keeps every counter monotonic and every bucket within +Inf', () => {
    const violations: string[] = [];
    for (const s of series) {
      for (let i = 1; i < s.values.length; i++) {
        if (s.values[i] < s.values[i - 1])
          violations.push(`${JSON.stringify(s.metric)} decreases at ${i}`);
      }
    }
    const buckets = series.filter(s => s.metric.le);
    const key = (m: Record<string, string>) =>
      `${m.destination_service_name}/${m.source_cluster}/${m.destination_cluster}`;
    const inf = new Map(
      buckets.filter(s => s.metric.le === '+Inf').map(s => [key(s.metric), s]),
    );
    for (const s of buckets) {
      const total = inf.get(key(s.metric))!;
      s.values.forEach((v, i) => {
        if (v > total.values[i])
          violations.push(
            `${key(s.metric)} le=${s.metric.le} above +Inf at ${i}`,
          );
      });
    }
    expect(violations).toEqual([]);
  });

  it('follows the flow’s rate and split over a window, within the noise', () => {
    const seconds = TRAFFIC_WINDOW_SECONDS['1h'];
    const increase = (s: { values: number[] }) =>
      s.values[s.values.length - 1] - s.values[s.values.length - 61];
    const product = series.filter(
      s =>
        s.metric.__name__ === 'istio_requests_total' &&
        s.metric.destination_service_name === 'product-service' &&
        s.metric.source_cluster === 'cluster1',
    );
    const total = product.reduce((n, s) => n + increase(s), 0);
    expect(total / seconds).toBeGreaterThan(38);
    expect(total / seconds).toBeLessThan(42);
    const toCluster1 = product
      .filter(s => s.metric.destination_cluster === 'cluster1')
      .reduce((n, s) => n + increase(s), 0);
    // 70/20 of the 70/20/10 rule, cluster3 being cut off: 77.8%.
    expect((100 * toCluster1) / total).toBeGreaterThan(77);
    expect((100 * toCluster1) / total).toBeLessThan(78.5);
    const errors = product
      .filter(s => s.metric.response_code === '503')
      .reduce((n, s) => n + increase(s), 0);
    expect(errors / total).toBeCloseTo(0.002, 3);
  });

  it('is deterministic for a seed and chunks the import body', () => {
    const again = generateTraffic({ flows: demoTraffic(), start, end });
    expect(again).toEqual(series);
    const chunks = [...toImportChunks(series, 100)];
    expect(chunks).toHaveLength(Math.ceil(series.length / 100));
    expect(JSON.parse(chunks[0].split('\n')[0])).toEqual(series[0]);
  });

  it('models latency as a log-normal through its median and p95', () => {
    expect(latencyCdf(12, 12, 40)).toBeCloseTo(0.5, 3);
    expect(latencyCdf(40, 12, 40)).toBeCloseTo(0.95, 3);
    expect(latencyCdf(0, 12, 40)).toBe(0);
  });
});
