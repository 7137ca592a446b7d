import { secretMetadata } from '../__testUtils__/objects';
import { MappingContext } from './objects';
import { mapRemoteSecrets } from './remoteSecrets';

describe('mapRemoteSecrets', () => {
  it('names the cluster from the annotation or the istioctl name prefix, and keeps metadata only', () => {
    const full = {
      ...secretMetadata('istio-remote-secret-cluster3', 'istio-system', {
        'istio/multiCluster': 'true',
      }),
      // Even if an API server ignored the metadata-only Accept header, data is never kept.
      data: { cluster3: Buffer.from('token: very-secret').toString('base64') },
    };
    const secrets = mapRemoteSecrets(
      [
        secretMetadata(
          'istio-remote-secret-c2',
          'istio-system',
          { 'istio/multiCluster': 'true' },
          { 'networking.istio.io/cluster': 'cluster2' },
        ),
        full,
        secretMetadata('other', 'istio-system', {}),
      ],
      new MappingContext(),
    );
    expect(secrets).toEqual([
      {
        namespace: 'istio-system',
        name: 'istio-remote-secret-c2',
        cluster: 'cluster2',
      },
      {
        namespace: 'istio-system',
        name: 'istio-remote-secret-cluster3',
        cluster: 'cluster3',
      },
    ]);
    expect(JSON.stringify(secrets)).not.toContain('dG9rZW4');
  });
});
