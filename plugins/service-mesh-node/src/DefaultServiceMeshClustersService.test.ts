import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultServiceMeshClustersService } from './DefaultServiceMeshClustersService';
import { isClusterAccessError } from './errors';
import { ServiceMeshClusterExtensions } from './extensions';

const kubernetes = {
  clusterLocatorMethods: [
    {
      type: 'config',
      clusters: [
        {
          name: 'global',
          url: 'https://global:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 't0',
          skipTLSVerify: true,
        },
        {
          name: 'cluster1',
          url: 'https://c1:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 't1',
          caData: 'Y2E=',
        },
        {
          name: 'legacy',
          url: 'https://legacy:6443',
          authProvider: 'serviceAccount',
        },
      ],
    },
  ],
};

function service(data: object, extensions?: ServiceMeshClusterExtensions) {
  return DefaultServiceMeshClustersService.fromConfig({
    config: new ConfigReader(data),
    logger: mockServices.logger.mock(),
    extensions,
  });
}

describe('DefaultServiceMeshClustersService', () => {
  it('lists the Kubernetes plugin clusters within the serviceMesh settings', async () => {
    const clusters = service({
      kubernetes,
      serviceMesh: { managementCluster: 'global', exclude: ['legacy'] },
    });
    const list = await clusters.listClusters();
    expect(
      list.clusters.map(c => [c.name, c.role, c.source, c.authProvider]),
    ).toEqual([
      ['global', 'management', 'config', 'serviceAccount'],
      ['cluster1', 'member', 'config', 'serviceAccount'],
    ]);
    expect(list.clusters[1].details).toMatchObject({
      url: 'https://c1:6443',
      caData: 'Y2E=',
      skipTLSVerify: false,
      authMetadata: {
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: 't1',
      },
    });
    expect(list.managementCluster).toBe('global');
    expect(list.sourceErrors).toEqual([]);
  });

  it('narrows to members plus the management cluster', async () => {
    const list = await service({
      kubernetes,
      serviceMesh: { managementCluster: 'global', members: ['cluster1'] },
    }).listClusters();
    expect(list.clusters.map(c => c.name)).toEqual(['global', 'cluster1']);
    expect(list.members).toEqual(['cluster1']);
  });

  it('adds every context of a kubeconfig file; config clusters win on a name clash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-kubeconfig-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: c2',
        '  cluster: { server: "https://c2:6443", insecure-skip-tls-verify: true }',
        '- name: c1',
        '  cluster: { server: "https://other:6443" }',
        'users:',
        '- name: u',
        '  user: { token: abc }',
        'contexts:',
        '- name: cluster2',
        '  context: { cluster: c2, user: u }',
        '- name: cluster1',
        '  context: { cluster: c1, user: u }',
        'current-context: cluster2',
      ].join('\n'),
    );
    try {
      const clusters = service({
        kubernetes,
        serviceMesh: { kubeconfig: file },
      });
      const list = await clusters.listClusters();
      expect(list.clusters.map(c => [c.name, c.url, c.source])).toEqual([
        ['global', 'https://global:6443', 'config'],
        ['cluster1', 'https://c1:6443', 'config'],
        ['legacy', 'https://legacy:6443', 'config'],
        ['cluster2', 'https://c2:6443', 'kubeconfig'],
      ]);
      const kc = await clusters.createKubeConfig(list.clusters[3]);
      expect(kc.getCurrentCluster()?.server).toBe('https://c2:6443');
      expect(kc.getCurrentUser()?.token).toBe('abc');
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it("builds a KubeConfig with the serviceAccount strategy's token and the cluster's CA", async () => {
    const clusters = service({ kubernetes });
    const [, cluster1] = (await clusters.listClusters()).clusters;
    const kc = await clusters.createKubeConfig(cluster1);
    expect(kc.getCurrentCluster()).toMatchObject({
      name: 'cluster1',
      server: 'https://c1:6443',
      caData: 'Y2E=',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()?.token).toBe('t1');
  });

  it('lists a client-side or unknown provider with its problem, and never sends anything for it', async () => {
    const clusters = service({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'gke-user', url: 'https://g', authProvider: 'google' },
              { name: 'typo', url: 'https://t', authProvider: 'serviceAcount' },
              { name: 'ok', url: 'https://o', serviceAccountToken: 't' },
            ],
          },
          { type: 'rancher' },
        ],
      },
    });
    const list = await clusters.listClusters();
    const byName = new Map(list.clusters.map(c => [c.name, c]));
    expect(byName.get('gke-user')?.problem).toMatchObject({
      code: 'MESH094',
      message: expect.stringContaining("'google'"),
      hint: expect.stringContaining('googleServiceAccount'),
    });
    expect(byName.get('typo')?.problem).toMatchObject({
      code: 'MESH095',
      message: expect.stringContaining("'serviceAcount'"),
    });
    expect(byName.get('ok')?.problem).toBeUndefined();
    expect(byName.get('ok')?.authProvider).toBe('serviceAccount');
    expect(list.sourceErrors).toEqual([
      expect.objectContaining({
        source: 'kubernetes.clusterLocatorMethods[1] (rancher)',
        code: 'MESH095',
      }),
    ]);
    const rejected = await clusters
      .createKubeConfig(byName.get('gke-user')!)
      .catch(e => e);
    expect(isClusterAccessError(rejected)).toBe(true);
    expect(rejected.problem.code).toBe('MESH094');
  });

  it('uses an auth strategy a module added, also for a client-side name', async () => {
    const extensions = new ServiceMeshClusterExtensions();
    const strategy: AuthenticationStrategy = {
      getCredential: async () => ({
        type: 'bearer token',
        token: 'from-vault',
      }),
      validateCluster: () => [],
      presentAuthMetadata: () => ({}),
    };
    extensions.addAuthStrategy('vault', strategy);
    extensions.addAuthStrategy('oidc', strategy);
    expect(() => extensions.addAuthStrategy('my-vault', strategy)).toThrow(
      /dashes/,
    );
    const clusters = service(
      {
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                { name: 'a', url: 'https://a', authProvider: 'vault' },
                { name: 'b', url: 'https://b', authProvider: 'oidc' },
              ],
            },
          ],
        },
      },
      extensions,
    );
    const list = await clusters.listClusters();
    expect(list.clusters.map(c => c.problem)).toEqual([undefined, undefined]);
    const kc = await clusters.createKubeConfig(list.clusters[1]);
    expect(kc.getCurrentUser()?.token).toBe('from-vault');
  });

  it('replaces the cluster supplier with the one a module added, around the default', async () => {
    const extensions = new ServiceMeshClusterExtensions();
    extensions.addClusterSupplier(async ({ getDefault }) => {
      const defaults = await getDefault();
      return {
        getClusters: async options => [
          ...(await defaults.getClusters(options)),
          {
            name: 'extra',
            url: 'https://extra',
            authMetadata: {
              'kubernetes.io/auth-provider': 'serviceAccount',
              serviceAccountToken: 'x',
            },
          },
        ],
      };
    });
    const list = await service({ kubernetes }, extensions).listClusters();
    expect(list.clusters.map(c => [c.name, c.source])).toEqual([
      ['global', 'config'],
      ['cluster1', 'config'],
      ['legacy', 'config'],
      ['extra', 'custom'],
    ]);
  });
});
