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

  it('reads meshNetworks (networks, fromRegistry/fromCidr, registryServiceName and address gateways)', () => {
    const ctx = new MappingContext();
    const [config] = mapMeshConfigs(
      [
        configMap('istio', 'istio-system', {
          mesh: 'trustDomain: cluster.local\n',
          meshNetworks: [
            'networks:',
            '  network1:',
            '    endpoints:',
            '    - fromRegistry: cluster1',
            '    gateways:',
            '    - registryServiceName: istio-eastwestgateway.istio-system.svc.cluster.local',
            '      port: 15443',
            '  network2:',
            '    endpoints:',
            '    - fromCidr: 10.2.0.0/16',
            '    gateways:',
            '    - address: 192.0.2.40',
            "      port: '15443'",
            '    - port: 15443',
          ].join('\n'),
        }),
      ],
      ctx,
    );
    expect(config.meshNetworks).toEqual({
      networks: [
        {
          name: 'network1',
          fromRegistries: ['cluster1'],
          fromCidrs: [],
          gateways: [
            {
              registryServiceName:
                'istio-eastwestgateway.istio-system.svc.cluster.local',
              port: 15443,
            },
          ],
        },
        {
          name: 'network2',
          fromRegistries: [],
          fromCidrs: ['10.2.0.0/16'],
          gateways: [{ address: '192.0.2.40', port: 15443 }],
        },
      ],
    });
  });

  it("leaves out Istio's empty default meshNetworks, and records one that is not YAML", () => {
    const ctx = new MappingContext();
    const configs = mapMeshConfigs(
      [
        configMap('istio', 'istio-system', {
          mesh: '{}',
          meshNetworks: 'networks: {}',
        }),
        configMap('istio-1-22', 'istio-system', {
          mesh: '{}',
          meshNetworks: 'networks: [',
        }),
      ],
      ctx,
    );
    expect(configs.map(c => c.meshNetworks)).toEqual([undefined, undefined]);
    expect(ctx.malformedObjects).toEqual([
      expect.objectContaining({
        name: 'istio-1-22',
        reason: expect.stringContaining('data.meshNetworks is not valid YAML'),
      }),
    ]);
  });
});
