import { policy } from '../__testUtils__/fixtures';
import {
  buildVirtualServiceIndex,
  virtualServiceForClient,
  virtualServicesInForce,
} from './virtualServices';

const service = { namespace: 'global-svc', name: 'product-service' };
const fqdn = 'product-service.global-svc.svc.cluster.local';

const vs = (
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  created?: string,
) => policy('VirtualService', namespace, name, spec, created);

const summary = (rules: ReturnType<typeof virtualServicesInForce>) =>
  rules.map(r => [r.rule.name, r.via, r.clients]);

describe('virtualServiceForClient', () => {
  it('takes the exact host before wildcards, and the oldest of equal hosts', () => {
    const index = buildVirtualServiceIndex([
      vs(
        'global-svc',
        'newer',
        { hosts: ['product-service'] },
        '2025-02-01T00:00:00Z',
      ),
      vs('global-svc', 'older', { hosts: [fqdn] }, '2025-01-01T00:00:00Z'),
      vs('global-svc', 'wild', { hosts: ['*.global-svc.svc.cluster.local'] }),
    ]);
    expect(virtualServiceForClient(index, 'global-svc', service)?.name).toBe(
      'older',
    );
    expect(
      virtualServiceForClient(index, 'global-svc', {
        namespace: 'global-svc',
        name: 'cart',
      })?.name,
    ).toBe('wild');
  });

  it('does not expand a dotted host, and ignores `*` bound to the mesh', () => {
    const index = buildVirtualServiceIndex([
      vs('global-svc', 'dotted', { hosts: ['product-service.global-svc'] }),
      vs('global-svc', 'star', { hosts: ['*'] }),
    ]);
    expect(
      virtualServiceForClient(index, 'global-svc', service),
    ).toBeUndefined();
  });

  it('prefers a private VirtualService of the client namespace over exported and public ones', () => {
    const index = buildVirtualServiceIndex([
      vs('global-svc', 'public', { hosts: [fqdn] }, '2025-01-01T00:00:00Z'),
      vs(
        'team',
        'exported',
        { hosts: [fqdn], exportTo: ['storefront'] },
        '2025-01-02T00:00:00Z',
      ),
      vs(
        'storefront',
        'private',
        { hosts: [fqdn], exportTo: ['.'] },
        '2025-01-03T00:00:00Z',
      ),
    ]);
    expect(virtualServiceForClient(index, 'storefront', service)?.name).toBe(
      'private',
    );
    expect(virtualServiceForClient(index, 'payments', service)?.name).toBe(
      'public',
    );
    expect(
      summary(virtualServicesInForce(index, service)).map(([name, , c]) => [
        name,
        c,
      ]),
    ).toEqual([
      ['public', { namespaces: ['*', 'global-svc', 'team'] }],
      ['private', { namespaces: ['storefront'] }],
    ]);
  });

  it('honours the mesh default exportTo', () => {
    const index = buildVirtualServiceIndex(
      [vs('team', 'team-only', { hosts: [fqdn] })],
      ['.'],
    );
    expect(virtualServiceForClient(index, 'team', service)?.name).toBe(
      'team-only',
    );
    expect(
      virtualServiceForClient(index, 'global-svc', service),
    ).toBeUndefined();
  });
});

describe('virtualServicesInForce', () => {
  it('lists VirtualServices that route or mirror to the service, at sidecars or gateways', () => {
    const index = buildVirtualServiceIndex([
      vs('global-svc', 'shop', {
        hosts: ['shop.example.com'],
        gateways: ['shop-gateway'],
        http: [{ route: [{ destination: { host: 'product-service' } }] }],
      }),
      vs('payments', 'mirror', {
        hosts: ['payments'],
        exportTo: ['.'],
        http: [
          {
            route: [{ destination: { host: 'payments' } }],
            mirror: { host: fqdn },
          },
        ],
      }),
      vs('payments', 'elsewhere', {
        hosts: ['payments'],
        http: [{ route: [{ destination: { host: 'product-service' } }] }],
      }),
    ]);
    // `elsewhere` routes to product-service.payments (short names resolve in the VirtualService's namespace).
    expect(summary(virtualServicesInForce(index, service))).toEqual([
      ['mirror', 'destination', { namespaces: ['payments'] }],
      [
        'shop',
        'destination',
        { namespaces: [], gateways: ['global-svc/shop-gateway'] },
      ],
    ]);
  });

  it('lists nothing for a service no VirtualService names', () => {
    const index = buildVirtualServiceIndex([
      vs('global-svc', 'cart', { hosts: ['cart'] }),
    ]);
    expect(virtualServicesInForce(index, service)).toEqual([]);
  });
});
