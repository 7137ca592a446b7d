import { ConfigReader } from '@backstage/config';
import { readServiceMeshConfig } from './config';

describe('readServiceMeshConfig', () => {
  it('applies the defaults and the cluster settings', () => {
    expect(
      readServiceMeshConfig(
        new ConfigReader({
          serviceMesh: { managementCluster: 'global', exclude: ['legacy'] },
        }),
      ),
    ).toEqual({
      managementCluster: 'global',
      members: undefined,
      exclude: ['legacy'],
      kubeconfig: undefined,
      clusterTimeoutSeconds: 10,
      refreshIntervalSeconds: 30,
    });
  });

  it('rejects an interval that is not a positive number', () => {
    expect(() =>
      readServiceMeshConfig(
        new ConfigReader({ serviceMesh: { refreshIntervalSeconds: 0 } }),
      ),
    ).toThrow(/refreshIntervalSeconds/);
  });
});
