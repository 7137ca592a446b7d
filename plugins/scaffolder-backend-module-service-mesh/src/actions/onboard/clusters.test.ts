import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultServiceMeshClustersService } from '@internal/plugin-service-mesh-node';
import { loadOnboardClusters } from './clusters';

describe('loadOnboardClusters', () => {
  const access = DefaultServiceMeshClustersService.fromConfig({
    config: new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'global', url: 'https://g', serviceAccountToken: 't' },
              { name: 'cluster1', url: 'https://c1', serviceAccountToken: 't' },
              { name: 'browser', url: 'https://b', authProvider: 'oidc' },
              { name: 'legacy', url: 'https://l', serviceAccountToken: 't' },
            ],
          },
        ],
      },
      serviceMesh: { managementCluster: 'global', exclude: ['legacy'] },
    }),
    logger: mockServices.logger.mock(),
  });

  it('offers the mesh members, and says why a cluster cannot be a target before anything is read', async () => {
    const clusters = await loadOnboardClusters(access, { timeoutMs: 1000 });
    expect(clusters.members).toEqual(['cluster1', 'browser']);
    expect(clusters.targetProblem('cluster1')).toBeUndefined();
    expect(clusters.targetProblem('browser')).toMatch(
      /^cluster 'browser' cannot be changed: cluster 'browser' uses the client-side auth provider 'oidc'.*server-side provider 'serviceAccount'/,
    );
    expect(clusters.targetProblem('global')).toContain(
      'is the management cluster',
    );
    expect(clusters.targetProblem('legacy')).toContain(
      "unknown cluster 'legacy'",
    );
  });

  it('reports the access problem of a cluster as the error of its first call', async () => {
    const clusters = await loadOnboardClusters(access, { timeoutMs: 1000 });
    await expect(
      clusters.client('browser').readNamespace('shop'),
    ).rejects.toMatchObject({
      name: 'ClusterAccessError',
      problem: { code: 'MESH094' },
    });
  });
});
