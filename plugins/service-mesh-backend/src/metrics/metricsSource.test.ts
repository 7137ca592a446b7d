import { ConfigReader } from '@backstage/config';
import type { MeshSnapshot } from '@internal/plugin-service-mesh-common';
import { readMetricsConfig } from './config';
import { resolveMetricsSource } from './metricsSource';

/** A snapshot whose management cluster holds one ServiceMesh per URL (cluster1, cluster2, …). */
function withPrometheusUrls(urls: Array<string | undefined>): MeshSnapshot {
  return {
    schemaVersion: 1,
    generatedAt: '2026-01-20T10:00:00.000Z',
    managementCluster: 'global',
    clusters: [
      {
        name: 'global',
        role: 'management',
        status: 'ok',
        data: {
          serviceMeshes: urls.map((prometheusURL, i) => ({
            name: `cluster${i + 1}`,
            namespace: 'cpaas-system',
            cluster: `cluster${i + 1}`,
            monitorType: 'victoriametrics',
            prometheusURL,
            spec: {},
          })),
        } as any,
      },
    ],
  };
}

const discover = { enabled: true, discoverFromServiceMesh: true };

describe('resolveMetricsSource', () => {
  it('takes the configured URL first', () => {
    expect(
      resolveMetricsSource(
        { ...discover, url: 'http://vm:8428' },
        withPrometheusUrls(['http://other:8428']),
      ),
    ).toEqual({ url: 'http://vm:8428', from: 'config' });
  });

  it('else the URL most ServiceMesh resources name', () => {
    expect(
      resolveMetricsSource(
        discover,
        withPrometheusUrls([
          'https://1.2.3.4/clusters/global/vmselect/',
          'http://other:8428',
          'https://1.2.3.4/clusters/global/vmselect',
        ]),
      ),
    ).toEqual({
      url: 'https://1.2.3.4/clusters/global/vmselect',
      from: 'serviceMesh',
    });
  });

  it('does not use a URL whose credentials were redacted, and says so', () => {
    const result = resolveMetricsSource(
      discover,
      withPrometheusUrls([
        'https://REDACTED@vm.example.com',
        'https://REDACTED@vm.example.com',
      ]),
    );
    expect(result.url).toBeUndefined();
    expect(result).toMatchObject({
      reason: expect.stringContaining('serviceMesh.metrics.basicAuth'),
    });
  });

  it('ignores what is not an http(s) URL, and explains an empty configuration', () => {
    expect(
      resolveMetricsSource(
        discover,
        withPrometheusUrls(['file:///etc/passwd', 'not a url']),
      ),
    ).toEqual({
      reason: expect.stringContaining(
        'no ServiceMesh resource has spec.prometheusURL',
      ),
    });
    expect(
      resolveMetricsSource(
        { enabled: true, discoverFromServiceMesh: false },
        withPrometheusUrls(['http://vm:8428']),
      ),
    ).toEqual({ reason: expect.stringContaining('serviceMesh.metrics.url') });
    expect(
      resolveMetricsSource(
        { enabled: false, discoverFromServiceMesh: true, url: 'http://vm' },
        withPrometheusUrls([]),
      ),
    ).toEqual({ reason: expect.stringContaining('switched off') });
  });
});

describe('readMetricsConfig', () => {
  const read = (metrics: object) =>
    readMetricsConfig(new ConfigReader({ serviceMesh: { metrics } }));

  it('applies defaults', () => {
    expect(readMetricsConfig(new ConfigReader({}))).toEqual({
      enabled: true,
      discoverFromServiceMesh: true,
      timeoutMs: 5000,
      cacheTtlMs: 60000,
      findingsWindow: '5m',
      thresholds: {
        splitDeviationPoints: 15,
        minRequests: 100,
        crossClusterErrorRatio: 0.01,
        crossClusterLatencyFactor: 3,
      },
    });
  });

  it('reads URL, credentials, timing and thresholds', () => {
    expect(
      read({
        url: 'http://vm:8428/',
        basicAuth: { username: 'u', password: 'p' },
        timeoutSeconds: 0.5,
        cacheTtlSeconds: 10,
        findingsWindow: '1h',
        minRequests: 20,
      }),
    ).toMatchObject({
      url: 'http://vm:8428',
      auth: { username: 'u', password: 'p' },
      timeoutMs: 500,
      cacheTtlMs: 10000,
      findingsWindow: '1h',
      thresholds: { minRequests: 20 },
    });
    expect(read({ bearerToken: 't' }).auth).toEqual({ bearerToken: 't' });
  });

  it('refuses invalid settings', () => {
    expect(() => read({ url: 'ftp://vm' })).toThrow(/http\(s\) URL/);
    expect(() => read({ url: 'http://u:p@vm' })).toThrow(/basicAuth/);
    expect(() =>
      read({ bearerToken: 't', basicAuth: { username: 'u', password: 'p' } }),
    ).toThrow(/not both/);
    expect(() => read({ findingsWindow: '2h' })).toThrow(/5m, 1h or 24h/);
    expect(() => read({ timeoutSeconds: 0 })).toThrow(/positive/);
  });
});
