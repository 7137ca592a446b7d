/*
 * Starts kube-sim and a test backend with the real service-mesh plugin reading it over HTTP.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  appConfigFragment,
  RunningSimulator,
  startSimulator,
} from '@internal/kube-sim';
import http from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { ConfigReader } from '@backstage/config';
import {
  createKubeClient,
  DefaultServiceMeshClustersService,
  KubeClient,
} from '@internal/plugin-service-mesh-node';
import { readServiceMeshConfig } from '../cluster/config';
import { DefaultMeshSnapshotService } from '../snapshot/MeshSnapshotService';
import { serviceMeshPlugin } from '../plugin';
import { testDatabase } from './testDatabase';

export const REDIS_PASSWORD = 'demo-redis-PASSWORD-do-not-leak';

export function scenarioDir(name: string): string {
  return path.join(
    path.dirname(require.resolve('@internal/kube-sim/package.json')),
    'scenarios',
    name,
  );
}

export const productServiceEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'product-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'product-service' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-product' },
};

export async function startSim(scenario: string): Promise<RunningSimulator> {
  return startSimulator({ scenarioDir: scenarioDir(scenario), port: 0 });
}

/** The backend; the mock scheduler runs the first refresh during startup, so the snapshot is ready. */
export interface KubeSimBackend {
  server: http.Server;
  get(path: string): request.Test;
  refresh(): request.Test;
}

export async function startBackend(
  sim: RunningSimulator,
  serviceMesh: Record<string, unknown> = {},
): Promise<KubeSimBackend> {
  const fragment = appConfigFragment(sim) as {
    serviceMesh?: Record<string, unknown>;
  };
  const { server } = await startTestBackend({
    features: [
      serviceMeshPlugin,
      await testDatabase(),
      catalogServiceMock.factory({ entities: [productServiceEntity] }),
      mockServices.rootConfig.factory({
        data: {
          ...fragment,
          serviceMesh: {
            ...fragment.serviceMesh,
            refreshIntervalSeconds: 3600,
            ...serviceMesh,
          },
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  const auth = mockCredentials.user.header();
  return {
    server,
    get: (p: string) =>
      request(server).get(`/api/service-mesh${p}`).set('Authorization', auth),
    refresh: () =>
      request(server)
        .post('/api/service-mesh/refresh?wait=true')
        .set('Authorization', auth),
  };
}

/** A snapshot service reading the clusters of an app-config (e.g. kube-sim's fragment) through real cluster access. */
export function snapshotServiceFor(data: object): DefaultMeshSnapshotService {
  const config = new ConfigReader(data as any);
  const logger = mockServices.logger.mock();
  return DefaultMeshSnapshotService.create({
    logger,
    config: readServiceMeshConfig(config),
    clusters: DefaultServiceMeshClustersService.fromConfig({ config, logger }),
  });
}

/** A read client for one kube-sim cluster, through real cluster access (the sim's app-config fragment). */
export function kubeSimClient(sim: RunningSimulator, name: string): KubeClient {
  const access = DefaultServiceMeshClustersService.fromConfig({
    config: new ConfigReader(appConfigFragment(sim) as any),
    logger: mockServices.logger.mock(),
  });
  return createKubeClient(async () => {
    const { clusters } = await access.listClusters();
    const cluster = clusters.find(c => c.name === name);
    if (!cluster) throw new Error(`kube-sim has no cluster ${name}`);
    return access.createKubeConfig(cluster);
  });
}
