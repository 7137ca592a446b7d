/*
 * A cluster located from the catalog: the demo's Resource entity (examples/clusters.yaml) read by the catalog
 * locator, then the cluster read over real HTTP from kube-sim with the aws provider (an EKS token kube-sim
 * verifies). kube-sim serves the demo on free ports here, so the entity's API server URL is pointed at the port
 * cluster3 got; every other annotation is used as written.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunningSimulator, startSimulator } from '@internal/kube-sim';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DefaultServiceMeshClustersService } from '../DefaultServiceMeshClustersService';

jest.setTimeout(60_000);

const EXAMPLE = path.resolve(__dirname, '../../../../examples/clusters.yaml');

let sim: RunningSimulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sim = await startSimulator({
    scenarioDir: path.join(
      path.dirname(require.resolve('@internal/kube-sim/package.json')),
      'scenarios/demo',
    ),
    port: 0,
  });
  // The demo IAM user's keys and the fake STS, as scripts/start.sh exports them.
  Object.assign(process.env, sim.cloud.environment());
});

afterAll(async () => {
  process.env = savedEnv;
  await sim?.stop();
});

/** The demo's cluster entity, with its API server where kube-sim serves cluster3 in this test. */
function demoClusterEntity(annotations: Record<string, string> = {}): Entity {
  const entity = parse(fs.readFileSync(EXAMPLE, 'utf8')) as Entity;
  const cluster3 = sim.clusters.find(c => c.name === 'cluster3')!;
  expect(entity.metadata.annotations!['kubernetes.io/api-server']).toBe(
    'http://127.0.0.1:46443',
  );
  entity.metadata.annotations = {
    ...entity.metadata.annotations,
    'kubernetes.io/api-server': cluster3.url,
    ...annotations,
  };
  return entity;
}

function access(entities: Entity[], locator: object) {
  const logger = mockServices.logger.mock();
  const clusters = DefaultServiceMeshClustersService.fromConfig({
    config: new ConfigReader({
      kubernetes: { clusterLocatorMethods: [{ type: 'catalog', ...locator }] },
      serviceMesh: { managementCluster: 'global' },
    }),
    logger,
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
  });
  return { clusters, logger };
}

const DEMO_LOCATOR = {
  dangerouslyAllowClusterUrls: ['127.0.0.1'],
  dangerouslyAllowSkipTLSVerify: true,
};

describe('the catalog cluster locator', () => {
  it('locates the demo cluster entity and reads the cluster with its aws auth metadata', async () => {
    const { clusters } = access([demoClusterEntity()], DEMO_LOCATOR);
    const { clusters: located, sourceErrors } = await clusters.listClusters();
    expect(sourceErrors).toEqual([]);
    expect(located).toHaveLength(1);
    const [cluster3] = located;
    expect(cluster3).toMatchObject({
      name: 'cluster3',
      title: 'cluster3 (eu-west-1)',
      source: 'catalog',
      role: 'member',
      authProvider: 'aws',
      details: {
        skipTLSVerify: true,
        skipMetricsLookup: true,
        authMetadata: {
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/x-k8s-aws-id': 'cluster3',
        },
      },
    });
    expect(cluster3.problem).toBeUndefined();

    const namespaces = await clusters
      .createClient(cluster3)
      .list('/api/v1/namespaces');
    expect(namespaces.length).toBeGreaterThan(0);
    expect(sim.requestLog('cluster3').at(-1)).toMatchObject({
      status: 200,
      user: 'aws:arn:aws:iam::000000000000:user/backstage-demo',
    });
  });

  it("refuses what the Kubernetes plugin's locator refuses: loopback/http URLs by default, serviceAccount, skipping TLS", async () => {
    const refused = access([demoClusterEntity()], {});
    expect((await refused.clusters.listClusters()).clusters).toEqual([]);
    expect(refused.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Ignoring kubernetes-cluster Resource "cluster3": Kubernetes cluster API server URL must use the HTTPS scheme',
      ),
    );

    const serviceAccount = access(
      [demoClusterEntity({ 'kubernetes.io/auth-provider': 'serviceAccount' })],
      DEMO_LOCATOR,
    );
    expect((await serviceAccount.clusters.listClusters()).clusters).toEqual([]);

    const noSkip = access([demoClusterEntity()], {
      dangerouslyAllowClusterUrls: ['127.0.0.1'],
    });
    const [strict] = (await noSkip.clusters.listClusters()).clusters;
    expect(strict.details.skipTLSVerify).toBe(false);
  });

  it('keeps the clusters it located when the catalog fails, and reports MESH097', async () => {
    const catalog = catalogServiceMock({ entities: [demoClusterEntity()] });
    const clusters = DefaultServiceMeshClustersService.fromConfig({
      config: new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [{ type: 'catalog', ...DEMO_LOCATOR }],
        },
      }),
      logger: mockServices.logger.mock(),
      catalog,
      auth: mockServices.auth(),
    });
    expect((await clusters.listClusters()).clusters).toHaveLength(1);
    jest
      .spyOn(catalog, 'getEntities')
      .mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:7007'));
    const list = await clusters.listClusters();
    expect(list.clusters.map(c => c.name)).toEqual(['cluster3']);
    expect(list.sourceErrors).toEqual([
      {
        source: 'kubernetes.clusterLocatorMethods[0] (catalog)',
        code: 'MESH097',
        message: expect.stringContaining('ECONNREFUSED'),
        hint: expect.stringContaining('the clusters it located before'),
      },
    ]);
  });
});
