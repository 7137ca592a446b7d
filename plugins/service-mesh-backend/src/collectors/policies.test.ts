import { customResource } from '../__testUtils__/objects';
import { MappingContext } from './objects';
import { mapPolicies } from './policies';
import { redactSecrets } from './redact';

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

  it('redacts exactly as redactSecrets does, keeping a spec with nothing secret as read', () => {
    const specs: Array<Record<string, unknown>> = [
      { host: 'a', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
      { host: 'b', trafficPolicy: { tls: { mode: 'MUTUAL', clientKey: 'k' } } },
      {
        host: 'c',
        exportTo: ['.'],
        subsets: [{ name: 'v1', labels: { v: '1' } }],
      },
      {
        hosts: ['d'],
        http: [{ mirror: { host: 'https://u:p@mirror.example' } }],
      },
      { host: 'e', key: 'value', nested: { deep: { Token: 'tok-value' } } },
      { selector: { matchLabels: { app: 'x' } }, mtls: { mode: 'STRICT' } },
      { host: 'f', cert: '-----BEGIN RSA PRIVATE KEY-----\nabc' },
    ];
    const items = specs.map((spec, i) =>
      customResource(
        'networking.istio.io/v1',
        'DestinationRule',
        `r${i}`,
        'demo',
        spec,
      ),
    );
    const mapped = mapPolicies(items, 'DestinationRule', new MappingContext());
    expect(mapped.map(p => p.spec)).toEqual(specs.map(s => redactSecrets(s)));
    // Nothing secret-looking: the spec is the one read (no copy), frozen.
    expect(mapped[0].spec).toBe((items[0] as { spec: unknown }).spec);
    expect(Object.isFrozen(mapped[0].spec)).toBe(true);
    expect(JSON.stringify(mapped)).not.toMatch(/u:p@|"k"|tok-value|abc/);
  });

  it('keeps the creation time (Istio applies the oldest rule first) and shares equal specs across clusters', () => {
    const read = (cluster: string, creationTimestamp: string) =>
      mapPolicies(
        [
          {
            metadata: { name: 'product', namespace: 'demo', creationTimestamp },
            spec: { host: `product-service`, subsets: [{ name: cluster }] },
          },
          {
            metadata: { name: 'shared', namespace: 'demo', creationTimestamp },
            spec: { host: 'cart' },
          },
        ],
        'DestinationRule',
        new MappingContext(),
      );
    const one = read('one', '2024-01-01T00:00:00Z');
    const two = read('two', '2024-02-01T00:00:00Z');
    expect(one[0].creationTimestamp).toBe('2024-01-01T00:00:00Z');
    expect(two[1].creationTimestamp).toBe('2024-02-01T00:00:00Z');
    expect(one[1].spec).toBe(two[1].spec);
    expect(one[0].spec).not.toEqual(two[0].spec);
    const malformed = new MappingContext();
    mapPolicies(
      [{ metadata: { name: 'x', creationTimestamp: 5 }, spec: {} }],
      'DestinationRule',
      malformed,
    );
    expect(malformed.malformedObjects[0].reason).toBe(
      'metadata.creationTimestamp is not a string',
    );
  });
});
