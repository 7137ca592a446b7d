import { configMap } from '../__testUtils__/objects';
import { mapMeshConfigs } from './meshConfigs';
import { MappingContext } from './objects';

describe('mapMeshConfigs', () => {
  it('parses the mesh config of the default and revisioned ConfigMaps only', () => {
    const ctx = new MappingContext();
    const configs = mapMeshConfigs(
      [
        configMap('istio', 'istio-system', {
          mesh: 'trustDomain: cluster.local\ndefaultConfig:\n  meshId: mesh1\n',
        }),
        configMap('istio-1-22', 'istio-system', {
          mesh: [
            'trustDomain: example.org',
            'enableAutoMtls: false',
            'localityLbSetting:',
            '  enabled: false',
            'defaultConfig:',
            '  meshId: mesh1',
            '  proxyMetadata:',
            '    ISTIO_META_NETWORK: network1',
            'rootNamespace: mesh-root',
            'defaultDestinationRuleExportTo: ["."]',
            'defaultVirtualServiceExportTo: [".", "shared"]',
          ].join('\n'),
        }),
        configMap('istio-sidecar-injector', 'istio-system', {
          values: '{}',
          config: '',
        }),
        configMap('istio-ca-root-cert', 'istio-system', {
          'root-cert.pem': 'x',
        }),
      ],
      ctx,
    );
    expect(configs).toEqual([
      {
        revision: 'default',
        namespace: 'istio-system',
        configMap: 'istio',
        meshId: 'mesh1',
        trustDomain: 'cluster.local',
        localityLbEnabled: true,
        enableAutoMtls: true,
      },
      {
        revision: '1-22',
        namespace: 'istio-system',
        configMap: 'istio-1-22',
        meshId: 'mesh1',
        trustDomain: 'example.org',
        network: 'network1',
        localityLbEnabled: false,
        enableAutoMtls: false,
        rootNamespace: 'mesh-root',
        defaultDestinationRuleExportTo: ['.'],
        defaultVirtualServiceExportTo: ['.', 'shared'],
      },
    ]);
    expect(ctx.malformedObjects).toEqual([]);
  });

  it('defaults the trust domain and records invalid YAML', () => {
    const ctx = new MappingContext();
    const configs = mapMeshConfigs(
      [
        configMap('istio', 'istio-system', { mesh: '' }),
        configMap('istio-bad', 'istio-system', { mesh: 'a: [unclosed' }),
      ],
      ctx,
    );
    expect(configs).toEqual([
      {
        revision: 'default',
        namespace: 'istio-system',
        configMap: 'istio',
        trustDomain: 'cluster.local',
        localityLbEnabled: true,
        enableAutoMtls: true,
      },
    ]);
    expect(ctx.malformedObjects).toEqual([
      expect.objectContaining({
        kind: 'ConfigMap',
        name: 'istio-bad',
        reason: expect.stringContaining('not valid YAML'),
      }),
    ]);
  });
});
