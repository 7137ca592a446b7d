/*
 * A large mesh snapshot built in memory, shaped like kube-sim's generated benchmark scenario
 * (`generate --clusters 50 --services 1000 --endpoints 200`): every service exists in every cluster, endpoint j
 * of service s runs in cluster (s + j) mod N, one Deployment per service and cluster, a DestinationRule per
 * service. 50 × 1000 × 200 gives 200,000 endpoints in 50,000 Services.
 */
import { emptyData } from '@internal/plugin-service-mesh-common/testUtils';
import {
  ClusterSnapshot,
  MESH_SNAPSHOT_SCHEMA_VERSION,
  MeshService,
  MeshSnapshot,
  MeshWorkload,
  PolicyResource,
} from '@internal/plugin-service-mesh-common';

export interface LargeSnapshotOptions {
  clusters?: number;
  services?: number;
  /** Endpoints per service across the mesh. */
  endpoints?: number;
}

export function largeSnapshot(options: LargeSnapshotOptions = {}): {
  snapshot: MeshSnapshot;
  endpoints: number;
} {
  const { clusters = 50, services = 1000, endpoints = 200 } = options;
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const zones = ['a', 'b', 'c'];
  let total = 0;
  const result: ClusterSnapshot[] = [];
  for (let c = 0; c < clusters; c++) {
    const name = `cluster-${pad(c + 1, 2)}`;
    const region = `region-${pad(c + 1, 2)}`;
    const meshServices: MeshService[] = [];
    const workloads: MeshWorkload[] = [];
    const destinationRules: PolicyResource[] = [];
    for (let s = 0; s < services; s++) {
      const svc = `svc-${pad(s + 1, 4)}`;
      const namespace = `mesh-app-${pad(Math.floor(s / 50) + 1, 2)}`;
      // Endpoints j with (s + j) mod clusters === c, spread over the cluster's zones.
      const perZone = new Map<string, number>();
      for (
        let j = (c - (s % clusters) + clusters) % clusters;
        j < endpoints;
        j += clusters
      ) {
        const zone = `${region}${zones[j % zones.length]}`;
        perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
        total++;
      }
      const labels = {
        app: svc,
        'backstage.io/kubernetes-id': svc,
        version: 'v1',
      };
      const pods = [...perZone.values()].reduce((a, b) => a + b, 0);
      meshServices.push({
        namespace,
        name: svc,
        labels,
        type: 'ClusterIP',
        selector: { app: svc },
        ports: [
          { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
        ],
        headless: false,
        endpoints: [...perZone.entries()].map(([zone, ready]) => ({
          locality: { region, zone },
          ready,
          notReady: 0,
        })),
      });
      workloads.push({
        namespace,
        name: svc,
        kind: 'Deployment',
        labels,
        pods,
        readyPods: pods,
        podsWithSidecar: pods,
        podsOptedOut: 0,
        uninjected: [],
        localities: [...perZone.entries()].map(([zone, n]) => ({
          region,
          zone,
          pods: n,
        })),
      });
      destinationRules.push({
        kind: 'DestinationRule',
        namespace,
        name: svc,
        spec: {
          host: `${svc}.${namespace}.svc.cluster.local`,
          trafficPolicy: {
            outlierDetection: {
              consecutive5xxErrors: 5,
              interval: '10s',
              baseEjectionTime: '30s',
              maxEjectionPercent: 100,
            },
          },
        },
      });
    }
    result.push({
      name,
      role: 'member',
      status: 'ok',
      lastSyncedAt: '2026-06-01T00:00:00.000Z',
      lastAttemptAt: '2026-06-01T00:00:00.000Z',
      durationMs: 120,
      region,
      network: `network-${pad(c + 1, 2)}`,
      data: emptyData({
        controlPlanes: [
          {
            revision: '1-22',
            namespace: 'istio-system',
            deployment: 'istiod-1-22',
            version: '1.22.4',
            desiredReplicas: 2,
            readyReplicas: 2,
          },
        ],
        meshConfigs: [
          {
            revision: '1-22',
            namespace: 'istio-system',
            configMap: 'istio-1-22',
            meshId: 'mesh1',
            trustDomain: 'cluster.local',
          },
        ],
        nodes: {
          total: 3,
          byLocality: zones.map(z => ({
            region,
            zone: `${region}${z}`,
            nodes: 1,
          })),
          unlabelled: [],
          unlabelledCount: 0,
        },
        services: meshServices,
        workloads,
        destinationRules,
      }),
    });
  }
  return {
    snapshot: {
      schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION,
      generatedAt: '2026-06-01T00:00:00.000Z',
      clusters: result,
    },
    endpoints: total,
  };
}
