/* Traffic responses for component tests: the demo's product-service, with cluster1 ignoring its rule. */
import {
  DEFAULT_TRAFFIC_THRESHOLDS,
  type EntityTrafficResponse,
  type MeshTrafficResponse,
  type TrafficWindow,
} from '@internal/plugin-service-mesh-common';

const mesh080 = {
  id: 'MESH080-cluster1-cluster3-service-global-svc-product-service-from-cluster1',
  code: 'MESH080' as const,
  severity: 'warning' as const,
  title: 'Live traffic differs from the expected split',
  message:
    'Over the last 5m, 12,000 requests from cluster1 (us-east-1/us-east-1a) to global-svc/product-service went cluster1 34%, cluster2 33%, cluster3 33%; the traffic policies predict cluster1 70%, cluster2 20%, cluster3 10%.',
  clusters: ['cluster1', 'cluster3'],
  resource: {
    kind: 'Service',
    namespace: 'global-svc',
    name: 'product-service',
  },
  hint: 'Compare the DestinationRule',
};

export function entityTraffic(
  window: TrafficWindow = '5m',
): EntityTrafficResponse {
  return {
    status: 'ok',
    window,
    generatedAt: '2026-01-20T10:00:00.000Z',
    source: { url: 'http://127.0.0.1:8428', from: 'serviceMesh' },
    thresholds: DEFAULT_TRAFFIC_THRESHOLDS,
    entityRef: 'component:default/product-service',
    services: [
      {
        namespace: 'global-svc',
        name: 'product-service',
        requests: 23400,
        requestsPerSecond: 78,
        errorRatio: 0.002,
        crossCluster: {
          requests: 12000,
          requestsPerSecond: 40,
          errorRatio: 0.025,
        },
        latency: {
          local: { requests: 11400, p50: 12.1, p95: 39.5 },
          crossCluster: { requests: 12000, p50: 24.2, p95: 88.4 },
        },
        sources: [
          {
            cluster: 'cluster1',
            localities: [{ region: 'us-east-1', zone: 'us-east-1a' }],
            requests: 12000,
            requestsPerSecond: 40,
            enoughVolume: true,
            maxDeviation: 36,
            expectation: {
              mode: 'distribute',
              policy: 'global-svc/product-service in cluster1',
            },
            destinations: [
              {
                cluster: 'cluster1',
                local: true,
                requestsPerSecond: 13.6,
                actualShare: 34,
                expectedShare: 70,
                deviation: -36,
                errorRatio: 0.001,
              },
              {
                cluster: 'cluster2',
                local: false,
                requestsPerSecond: 13.2,
                actualShare: 33,
                expectedShare: 20,
                deviation: 13,
                errorRatio: 0.001,
              },
              {
                cluster: 'cluster3',
                local: false,
                requestsPerSecond: 13.2,
                actualShare: 33,
                expectedShare: 10,
                deviation: 23,
                errorRatio: 0.05,
              },
            ],
          },
          {
            cluster: 'cluster3',
            localities: [
              { region: 'eu-west-1', zone: 'eu-west-1a' },
              { region: 'eu-west-1', zone: 'eu-west-1b' },
            ],
            requests: 30,
            requestsPerSecond: 0.1,
            enoughVolume: false,
            maxDeviation: 71.4,
            expectation: { mode: 'distribute' },
            destinations: [
              {
                cluster: 'cluster3',
                local: true,
                requestsPerSecond: 0.1,
                actualShare: 100,
                expectedShare: 28.6,
                deviation: 71.4,
                errorRatio: 0,
              },
            ],
          },
        ],
      },
    ],
    findings: [mesh080],
  };
}

export function meshTraffic(window: TrafficWindow = '5m'): MeshTrafficResponse {
  return {
    status: 'ok',
    window,
    generatedAt: '2026-01-20T10:00:00.000Z',
    source: { url: 'http://127.0.0.1:8428', from: 'serviceMesh' },
    thresholds: DEFAULT_TRAFFIC_THRESHOLDS,
    clusters: ['cluster1', 'cluster2', 'cluster3'],
    edges: [
      {
        sourceCluster: 'cluster1',
        destinationCluster: 'cluster1',
        requests: 25800,
        requestsPerSecond: 86,
        errorRatio: 0.002,
      },
      {
        sourceCluster: 'cluster1',
        destinationCluster: 'cluster2',
        requests: 2400,
        requestsPerSecond: 8,
        errorRatio: 0.002,
      },
      {
        sourceCluster: 'cluster1',
        destinationCluster: 'cluster3',
        requests: 1200,
        requestsPerSecond: 4,
        errorRatio: 0.04,
      },
      {
        sourceCluster: 'cluster3',
        destinationCluster: 'cluster3',
        requests: 3600,
        requestsPerSecond: 12,
        errorRatio: 0,
      },
    ],
    findings: [mesh080],
  };
}
