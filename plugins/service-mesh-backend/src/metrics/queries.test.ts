import {
  latencyQuery,
  parseHistograms,
  parseRequests,
  requestsQuery,
} from './queries';

const ids: Record<string, string> = { 'Kubernetes-a': 'cluster1' };
const name = (id: string) => ids[id] ?? id;

describe('traffic queries', () => {
  it('groups every service and cluster pair in one query per metric', () => {
    expect(requestsQuery('5m')).toBe(
      'sum by (source_cluster, destination_cluster, destination_service_namespace, destination_service_name, destination_service, response_code) (increase(istio_requests_total{reporter="source"}[5m]))',
    );
    expect(latencyQuery('24h')).toBe(
      'sum by (source_cluster, destination_cluster, destination_service_namespace, destination_service_name, destination_service, le) (increase(istio_request_duration_milliseconds_bucket{reporter="source"}[24h]))',
    );
  });

  it('adds up requests and 5xx per flow, mapping cluster IDs and reading the service from the FQDN', () => {
    const base = {
      source_cluster: 'Kubernetes-a',
      destination_cluster: 'cluster2',
      destination_service_namespace: 'shop',
      destination_service_name: 'cart',
    };
    expect(
      parseRequests(
        [
          { metric: { ...base, response_code: '200' }, value: 90 },
          { metric: { ...base, response_code: '503' }, value: 8 },
          { metric: { ...base, response_code: '504' }, value: 2 },
          { metric: { ...base, response_code: '404' }, value: 5 },
          {
            metric: {
              source_cluster: 'cluster2',
              destination_cluster: 'cluster2',
              destination_service: 'cart.shop.svc.cluster.local',
              destination_service_name: 'unknown',
              response_code: '200',
            },
            value: 10,
          },
          // Traffic that left the mesh, or no increase at all.
          {
            metric: {
              ...base,
              destination_service_name: 'unknown',
              destination_service: 'PassthroughCluster',
            },
            value: 3,
          },
          {
            metric: {
              ...base,
              response_code: '200',
              destination_cluster: 'cluster3',
            },
            value: 0,
          },
        ],
        name,
      ),
    ).toEqual([
      {
        namespace: 'shop',
        service: 'cart',
        sourceCluster: 'cluster1',
        destinationCluster: 'cluster2',
        requests: 105,
        errors: 10,
      },
      {
        namespace: 'shop',
        service: 'cart',
        sourceCluster: 'cluster2',
        destinationCluster: 'cluster2',
        requests: 10,
        errors: 0,
      },
    ]);
  });

  it('collects cumulative buckets per flow, normalising le and dropping empty histograms', () => {
    const base = {
      source_cluster: 'cluster1',
      destination_cluster: 'cluster1',
      destination_service_namespace: 'shop',
      destination_service_name: 'cart',
    };
    expect(
      parseHistograms(
        [
          { metric: { ...base, le: '10.0' }, value: 4 },
          { metric: { ...base, le: '10' }, value: 1 },
          { metric: { ...base, le: '+Inf' }, value: 9 },
          { metric: { ...base, le: 'bogus' }, value: 9 },
          { metric: { ...base }, value: 9 },
          {
            metric: { ...base, destination_cluster: 'idle', le: '+Inf' },
            value: 0,
          },
        ],
        name,
      ),
    ).toEqual([
      {
        namespace: 'shop',
        service: 'cart',
        sourceCluster: 'cluster1',
        destinationCluster: 'cluster1',
        buckets: [
          { le: '10', count: 5 },
          { le: '+Inf', count: 9 },
        ],
      },
    ]);
  });
});
