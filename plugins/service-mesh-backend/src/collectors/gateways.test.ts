import { customResource } from '../__testUtils__/objects';
import { mapCrossNetworkGateways } from './gateways';
import { MappingContext } from './objects';

describe('mapCrossNetworkGateways', () => {
  it('keeps Gateways serving 15443 and records malformed servers', () => {
    const ctx = new MappingContext();
    const gateways = mapCrossNetworkGateways(
      [
        customResource(
          'networking.istio.io/v1',
          'Gateway',
          'cross-network-gateway',
          'istio-system',
          {
            selector: { istio: 'eastwestgateway' },
            servers: [
              {
                port: { number: 15443, name: 'tls', protocol: 'TLS' },
                tls: { mode: 'AUTO_PASSTHROUGH' },
                hosts: ['*.local'],
              },
            ],
          },
        ),
        customResource(
          'networking.istio.io/v1',
          'Gateway',
          'ingress',
          'istio-system',
          {
            servers: [
              { port: { number: 443, protocol: 'HTTPS' }, hosts: ['*'] },
            ],
          },
        ),
        customResource(
          'networking.istio.io/v1',
          'Gateway',
          'bad',
          'istio-system',
          { servers: [{ port: { number: '15443' } }] },
        ),
      ],
      ctx,
    );
    expect(gateways).toEqual([
      {
        namespace: 'istio-system',
        name: 'cross-network-gateway',
        selector: { istio: 'eastwestgateway' },
        servers: [
          {
            port: 15443,
            protocol: 'TLS',
            tlsMode: 'AUTO_PASSTHROUGH',
            hosts: ['*.local'],
          },
        ],
      },
    ]);
    expect(ctx.malformedObjects).toEqual([
      {
        kind: 'Gateway',
        namespace: 'istio-system',
        name: 'bad',
        reason: 'spec.servers[0].port.number is not a number',
      },
    ]);
  });
});
