import { customResource } from '../__testUtils__/objects';
import { MappingContext } from './objects';
import { mapPolicies } from './policies';

describe('mapPolicies', () => {
  it('keeps the redacted spec and records resources without one', () => {
    const ctx = new MappingContext();
    const drs = mapPolicies(
      [
        customResource(
          'networking.istio.io/v1',
          'DestinationRule',
          'product',
          'demo',
          {
            host: 'product-service',
            trafficPolicy: {
              tls: {
                mode: 'SIMPLE',
                credentialName: 'product-client-cert',
                privateKey: '/etc/key.pem',
              },
            },
          },
        ),
        { metadata: { name: 'nospec', namespace: 'demo' } },
      ],
      'DestinationRule',
      ctx,
    );
    expect(drs).toEqual([
      {
        kind: 'DestinationRule',
        namespace: 'demo',
        name: 'product',
        spec: {
          host: 'product-service',
          trafficPolicy: {
            tls: {
              mode: 'SIMPLE',
              credentialName: 'REDACTED',
              privateKey: 'REDACTED',
            },
          },
        },
      },
    ]);
    expect(ctx.malformedObjects).toEqual([
      {
        kind: 'DestinationRule',
        namespace: 'demo',
        name: 'nospec',
        reason: 'spec is missing',
      },
    ]);
  });
});
