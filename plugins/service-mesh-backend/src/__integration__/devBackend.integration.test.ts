/*
 * The stand-alone dev backend (dev/index.ts, `yarn start` in this package): its features and kube-sim's config,
 * passed the way dev/index.ts passes them (APP_CONFIG_ variables), boot the real plugin against the demo mesh.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { readEnvConfig } from '@backstage/config-loader';
import { RunningSimulator } from '@internal/kube-sim';
import request from 'supertest';
import {
  demoEntities,
  devFeatures,
  kubeSimEnv,
  startDevKubeSim,
} from '../../dev/devBackend';
import { serviceMeshPlugin } from '../plugin';
import { testDatabase } from '../__testUtils__/testDatabase';

jest.setTimeout(60_000);

describe('dev backend (dev/index.ts)', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startDevKubeSim();
  });

  afterAll(async () => {
    await sim?.stop();
  });

  async function start(permission: 'allow' | 'deny') {
    const [env] = readEnvConfig(kubeSimEnv(sim));
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        await testDatabase(),
        mockServices.rootConfig.factory({ data: env.data }),
        ...devFeatures({ entities: demoEntities(), permission }),
      ],
    });
    return server;
  }

  it('serves the demo mesh to requests without credentials', async () => {
    const server = await start('allow');
    const health = await request(server).get('/api/service-mesh/health');
    expect(health.status).toBe(200);
    const overview = await request(server).get('/api/service-mesh/overview');
    expect(overview.status).toBe(200);
    expect(overview.body.managementCluster).toBe('global');
    expect(overview.body.clusters.map((c: any) => [c.name, c.status])).toEqual([
      ['global', 'ok'],
      ['cluster1', 'ok'],
      ['cluster2', 'ok'],
      ['cluster3', 'ok'],
    ]);
    // The mock catalog holds examples/entities.yaml.
    const entity = await request(server)
      .get('/api/service-mesh/entity')
      .query({ entityRef: 'component:default/product-service' });
    expect(entity.status).toBe(200);
  });

  it('denies every read with SERVICE_MESH_DEV_PERMISSION=deny', async () => {
    const server = await start('deny');
    const overview = await request(server).get('/api/service-mesh/overview');
    expect(overview.status).toBe(403);
  });
});
