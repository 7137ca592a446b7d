/*
 * Every locator and server-side auth provider against kube-sim over real HTTP, through the Kubernetes backend's
 * own strategies: serviceAccount, aws (env credentials; assume-role with external id through the fake STS; the
 * presigned token's signature verified by kube-sim), azure (DefaultAzureCredential → managed identity endpoint),
 * googleServiceAccount (Application Default Credentials → metadata server), localKubectlProxy, the gke locator
 * (the GKE API through @google-cloud/container's REST client), and a client-side provider. Token expiry:
 * tokenExpiry.integration.test.ts (its own process: MSAL caches managed-identity tokens process-wide).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { v1 as container } from '@google-cloud/container';
import { RunningSimulator, startSimulator } from '@internal/kube-sim';
import path from 'node:path';
import { DefaultServiceMeshClustersService } from './DefaultServiceMeshClustersService';
import { GkeClient } from './locate/GkeClusterSource';
import { MeshCluster } from './types';

jest.setTimeout(60_000);

const SCENARIO = path.join(
  path.dirname(require.resolve('@internal/kube-sim/package.json')),
  'scenarios/auth',
);

let sim: RunningSimulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: SCENARIO, port: 0 });
  // The cloud SDKs read their endpoints and credentials from the environment, as on EKS/AKS/GKE.
  Object.assign(process.env, sim.cloud.environment());
  // No developer credentials of this machine may leak in (a gcloud ADC file).
  process.env.CLOUDSDK_CONFIG = path.join(SCENARIO, 'no-gcloud-config');
});

afterAll(async () => {
  process.env = savedEnv;
  await sim?.stop();
});

/** Over HTTPS with kube-sim's CA, as against a real API server (client-node refuses http:// without skipTLSVerify). */
const url = (name: string) =>
  sim.clusters.find(c => c.name === name)!.httpsUrl!;
const caData = () => sim.clusters[0].caData!;

function access(extra: object = {}) {
  return DefaultServiceMeshClustersService.fromConfig({
    config: new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'sa',
                url: url('sa'),
                caData: caData(),
                authProvider: 'serviceAccount',
                serviceAccountToken: 'sa-token',
              },
              {
                name: 'eks',
                url: url('eks'),
                caData: caData(),
                authProvider: 'aws',
                authMetadata: { 'kubernetes.io/x-k8s-aws-id': 'eks-prod' },
              },
              {
                name: 'eks-role',
                url: url('eks-role'),
                caData: caData(),
                authProvider: 'aws',
                assumeRole: 'arn:aws:iam::444455556666:role/mesh-reader',
                externalId: 'mesh-external-id',
              },
              {
                name: 'aks',
                url: url('aks'),
                caData: caData(),
                authProvider: 'azure',
              },
              {
                name: 'local',
                url: url('local'),
                caData: caData(),
                authProvider: 'localKubectlProxy',
              },
              {
                name: 'gke-user',
                url: url('gke'),
                caData: caData(),
                authProvider: 'google',
              },
            ],
          },
          {
            type: 'gke',
            projectId: 'mesh-project',
            authProvider: 'googleServiceAccount',
            matchingResourceLabels: [{ key: 'mesh', value: 'prod' }],
          },
        ],
      },
      ...extra,
    }),
    logger: mockServices.logger.mock(),
    // The GKE API of the fake cloud, through the real client library in its REST mode.
    gkeClient: () =>
      new container.ClusterManagerClient({
        fallback: true,
        apiEndpoint: '127.0.0.1',
        port: Number(new URL(sim.cloud.url).port),
        protocol: 'http',
      } as ConstructorParameters<typeof container.ClusterManagerClient>[0]) as unknown as GkeClient,
  });
}

/** Reads a cluster once; who kube-sim saw calling. */
async function read(
  clusters: DefaultServiceMeshClustersService,
  cluster: MeshCluster,
  simName = cluster.name,
) {
  const items = await clusters.createClient(cluster).list('/api/v1/namespaces');
  const log = sim.requestLog(simName);
  return { items, user: log[log.length - 1].user };
}

describe('cluster access through the Kubernetes plugin strategies', () => {
  it('locates config and GKE clusters and reads each with its server-side provider', async () => {
    const clusters = access();
    const list = await clusters.listClusters();
    const byName = new Map(list.clusters.map(c => [c.name, c]));
    expect(list.clusters.map(c => [c.name, c.source, c.authProvider])).toEqual([
      ['sa', 'config', 'serviceAccount'],
      ['eks', 'config', 'aws'],
      ['eks-role', 'config', 'aws'],
      ['aks', 'config', 'azure'],
      ['local', 'config', 'localKubectlProxy'],
      ['gke-user', 'config', 'google'],
      // gke-other is filtered out by matchingResourceLabels
      ['gke', 'gke', 'googleServiceAccount'],
    ]);
    expect(list.sourceErrors).toEqual([]);
    // GKE: the API server's CA comes with the cluster, so TLS is verified.
    expect(byName.get('gke')!.details).toMatchObject({
      url: url('gke'),
      caData: caData(),
      skipTLSVerify: false,
    });

    const users = Object.fromEntries(
      await Promise.all(
        ['sa', 'eks', 'eks-role', 'aks', 'local', 'gke'].map(
          async name =>
            [name, (await read(clusters, byName.get(name)!)).user] as const,
        ),
      ),
    );
    expect(users).toEqual({
      sa: 'token',
      eks: 'aws:arn:aws:iam::111122223333:user/backstage',
      // AssumeRole with the external id through STS, then a token signed with the role's temporary key
      'eks-role': 'aws:arn:aws:iam::444455556666:role/mesh-reader',
      aks: expect.stringMatching(/^azure:azure-\d+$/),
      local: 'anonymous',
      gke: expect.stringMatching(/^google:google-\d+$/),
    });
    expect(sim.cloud.requestLog()).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/aws/sts/', status: 200 },
        { method: 'GET', path: '/azure/msi/token', status: 200 },
        {
          method: 'GET',
          path: '/computeMetadata/v1/instance/service-accounts/default/token',
          status: 200,
        },
        {
          method: 'GET',
          path: '/v1/projects/mesh-project/locations/-/clusters',
          status: 200,
        },
      ]),
    );
  });

  it('lists a client-side provider with a MESH094 problem naming the alternative, and sends nothing to it', async () => {
    const logger = mockServices.logger.mock();
    const clusters = DefaultServiceMeshClustersService.fromConfig({
      config: new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'gke-user',
                  url: url('gke'),
                  caData: caData(),
                  authProvider: 'google',
                },
                {
                  name: 'aks-user',
                  url: url('aks'),
                  caData: caData(),
                  authProvider: 'aks',
                },
                {
                  name: 'sa',
                  url: url('sa'),
                  caData: caData(),
                  serviceAccountToken: 'sa-token',
                },
              ],
            },
          ],
        },
      }),
      logger,
    });
    sim.resetRequestCounts();
    const list = await clusters.listClusters();
    await clusters.listClusters();
    const [gke, aks, sa] = list.clusters;
    expect(gke.problem).toMatchObject({
      code: 'MESH094',
      hint: expect.stringContaining(
        "server-side provider 'googleServiceAccount'",
      ),
    });
    expect(aks.problem?.hint).toContain("server-side provider 'azure'");
    // One startup warning per cluster, not one per listing.
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "cluster 'gke-user' uses the client-side auth provider 'google'",
      ),
    );
    await expect(
      clusters.createClient(gke).list('/api/v1/pods'),
    ).rejects.toMatchObject({
      name: 'ClusterAccessError',
      problem: { code: 'MESH094' },
    });
    expect(sim.requestCount('gke')).toBe(0);
    // The other clusters still work.
    expect((await read(clusters, sa)).user).toBe('token');
  });

  it('reports missing credentials (MESH096) and an unreachable token endpoint (MESH097) per cluster', async () => {
    const clusters = access();
    const byName = new Map(
      (await clusters.listClusters()).clusters.map(c => [c.name, c]),
    );
    const env = { ...process.env };
    try {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      // nowhere else to look for AWS credentials on this machine
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent';
      process.env.AWS_CONFIG_FILE = '/nonexistent';
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      const noAws = access();
      const eks = (await noAws.listClusters()).clusters.find(
        c => c.name === 'eks',
      )!;
      await expect(
        noAws.createClient(eks).list('/api/v1/pods'),
      ).rejects.toMatchObject({
        name: 'ClusterAccessError',
        problem: {
          code: 'MESH096',
          message: expect.stringContaining(
            "cluster 'eks' (auth provider 'aws')",
          ),
          hint: expect.stringContaining('AWS_ACCESS_KEY_ID'),
        },
      });
    } finally {
      process.env = env;
    }
    // The metadata server's port closed: Google's token endpoint does not answer.
    const gke = byName.get('gke')!;
    try {
      process.env.GCE_METADATA_HOST = '127.0.0.1:1';
      const error = await clusters
        .createClient(gke)
        .list('/api/v1/pods')
        .catch(e => e);
      expect(error).toMatchObject({
        name: 'ClusterAccessError',
        problem: {
          code: 'MESH097',
          message: expect.stringContaining('ECONNREFUSED 127.0.0.1:1'),
          hint: expect.stringContaining('GCE_METADATA_HOST'),
        },
      });
    } finally {
      process.env.GCE_METADATA_HOST = sim.cloud.environment().GCE_METADATA_HOST;
    }
  });
});
