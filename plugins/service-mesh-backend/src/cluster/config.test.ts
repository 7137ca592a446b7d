import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKubeConfig } from './ClusterClientFactory';
import { readMeshClusters, readServiceMeshConfig } from './config';

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
    { type: 'catalog' },
  ],
};

describe('cluster configuration', () => {
  it('reads the Kubernetes plugin clusters with the serviceMesh settings', () => {
    const config = new ConfigReader({
      kubernetes,
      serviceMesh: {
        managementCluster: 'global',
        exclude: ['legacy'],
        clusterTimeoutSeconds: 2,
      },
    });
    expect(readMeshClusters(config)).toEqual([
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
        skipTLSVerify: false,
      },
    ]);
    expect(readServiceMeshConfig(config)).toMatchObject({
      managementCluster: 'global',
      refreshIntervalSeconds: 30,
      clusterTimeoutSeconds: 2,
      exclude: ['legacy'],
    });
  });

  it('narrows to members plus the management cluster, and rejects invalid intervals', () => {
    const config = new ConfigReader({
      kubernetes,
      serviceMesh: { managementCluster: 'global', members: ['cluster1'] },
    });
    expect(readServiceMeshConfig(config).clusters.map(c => c.name)).toEqual([
      'global',
      'cluster1',
    ]);
    expect(() =>
      readServiceMeshConfig(
        new ConfigReader({ serviceMesh: { refreshIntervalSeconds: 0 } }),
      ),
    ).toThrow(/refreshIntervalSeconds/);
  });

  it('adds every context of a kubeconfig file; config clusters win on a name clash', () => {
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
    const clusters = readMeshClusters(
      new ConfigReader({ kubernetes, serviceMesh: { kubeconfig: file } }),
    );
    expect(clusters.map(c => [c.name, c.url])).toEqual([
      ['global', 'https://global:6443'],
      ['cluster1', 'https://c1:6443'],
      ['legacy', 'https://legacy:6443'],
      ['cluster2', 'https://c2:6443'],
    ]);
    const kc = createKubeConfig(clusters[3]);
    expect(kc.getCurrentCluster()?.server).toBe('https://c2:6443');
    expect(kc.getCurrentUser()?.token).toBe('abc');
    fs.rmSync(dir, { recursive: true });
  });

  it('builds a KubeConfig for a service-account cluster and refuses browser-only auth providers', () => {
    const kc = createKubeConfig({
      name: 'c1',
      url: 'https://c1:6443',
      authProvider: 'serviceAccount',
      serviceAccountToken: 't1',
      caData: 'Y2E=',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentCluster()).toMatchObject({
      name: 'c1',
      server: 'https://c1:6443',
      caData: 'Y2E=',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()?.token).toBe('t1');
    expect(() =>
      createKubeConfig({
        name: 'g',
        url: 'https://g',
        authProvider: 'oidc',
        skipTLSVerify: false,
      }),
    ).toThrow(/authProvider 'oidc'/);
  });
});
