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
      mode: 'watch',
    });
  });

  it('reads serviceMesh.mode and rejects an unknown one', () => {
    expect(
      readServiceMeshConfig(new ConfigReader({ serviceMesh: { mode: 'poll' } }))
        .mode,
    ).toBe('poll');
    expect(() =>
      readServiceMeshConfig(
        new ConfigReader({ serviceMesh: { mode: 'stream' } }),
      ),
    ).toThrow(/serviceMesh.mode 'stream'/);
  });

  it('rejects an interval that is not a positive number', () => {
    expect(() =>
      readServiceMeshConfig(
        new ConfigReader({ serviceMesh: { refreshIntervalSeconds: 0 } }),
      ),
    ).toThrow(/refreshIntervalSeconds/);
  });
});
