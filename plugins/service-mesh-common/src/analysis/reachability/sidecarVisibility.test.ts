// Sidecar scoping as istiod computes it: pilot/pkg/model/push_context.go (initSidecarScopes, doGetSidecarScope)
// and pilot/pkg/model/sidecar.go (convertIstioListenerToWrapper, selectServices), cases after sidecar_test.go.
import type { PolicyResource } from '../../types/snapshot';
import {
  sidecarFor,
  sidecarHidesFinding,
  sidecarVisibility,
} from './sidecarVisibility';

const sidecar = (
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  creationTimestamp = '2026-01-01T00:00:00Z',
): PolicyResource => ({
  kind: 'Sidecar',
  namespace,
  name,
  creationTimestamp,
  spec,
});
const egress = (...hosts: string[]) => ({ egress: [{ hosts }] });
const product = { namespace: 'global-svc', name: 'product-service' };

const sees = (
  sidecars: PolicyResource[],
  clientNamespace: string,
  service: { namespace: string; name: string; ports?: number[] } = product,
  workloadLabels?: Record<string, string>,
) =>
  sidecarVisibility(sidecars, {
    rootNamespace: 'istio-system',
    clientNamespace,
    service,
    workloadLabels,
  }).visible;

describe('sidecarFor (doGetSidecarScope)', () => {
  const rootDefault = sidecar('istio-system', 'default', egress('./*'));
  const nsWide = sidecar('shop', 'ns-wide', egress('*/*'));
  const selected = sidecar('shop', 'frontend', {
    workloadSelector: { labels: { app: 'frontend' } },
    ...egress('./*'),
  });

  it('prefers a matching workloadSelector over the namespace-wide Sidecar, whatever the order', () => {
    expect(
      sidecarFor([nsWide, selected], 'istio-system', 'shop', {
        app: 'frontend',
        version: 'v1',
      })?.name,
    ).toBe('frontend');
    expect(
      sidecarFor([nsWide, selected], 'istio-system', 'shop', { app: 'cart' })
        ?.name,
    ).toBe('ns-wide');
  });

  it('falls back to the root namespace default, and to none (import everything) without one', () => {
    expect(
      sidecarFor([selected, rootDefault], 'istio-system', 'shop', {
        app: 'cart',
      })?.name,
    ).toBe('default');
    expect(sidecarFor([selected], 'istio-system', 'shop', {})).toBeUndefined();
    // A root namespace Sidecar with a selector is no mesh default.
    expect(
      sidecarFor(
        [
          sidecar('istio-system', 'gw', {
            workloadSelector: { labels: { app: 'x' } },
          }),
        ],
        'istio-system',
        'shop',
      ),
    ).toBeUndefined();
  });

  it('takes the oldest of competing namespace-wide Sidecars (sortConfigByCreationTime)', () => {
    const newer = sidecar(
      'shop',
      'a-newer',
      egress('*/*'),
      '2026-03-01T00:00:00Z',
    );
    const older = sidecar(
      'shop',
      'z-older',
      egress('./*'),
      '2026-02-01T00:00:00Z',
    );
    expect(sidecarFor([newer, older], 'istio-system', 'shop')?.name).toBe(
      'z-older',
    );
  });
});

describe('sidecarVisibility (selectServices)', () => {
  it('sees everything without any Sidecar, and with a Sidecar that has no egress (*/*)', () => {
    expect(sees([], 'shop')).toBe(true);
    expect(sees([sidecar('shop', 's', {})], 'shop')).toBe(true);
  });

  it('"./*" imports only the proxy\'s own namespace, also from the root namespace default', () => {
    const root = sidecar(
      'istio-system',
      'default',
      egress('./*', 'istio-system/*'),
    );
    expect(sees([root], 'shop')).toBe(false);
    expect(sees([root], 'global-svc')).toBe(true);
    const own = sidecar('shop', 's', egress('./*'));
    expect(sees([own], 'shop')).toBe(false);
    expect(sees([own], 'shop', { namespace: 'shop', name: 'cart' })).toBe(true);
  });

  it('matches namespace/dnsName: exact FQDN, "*.suffix" wildcards and "*" namespaces', () => {
    const at = (...hosts: string[]) => [sidecar('shop', 's', egress(...hosts))];
    expect(
      sees(
        at('global-svc/product-service.global-svc.svc.cluster.local'),
        'shop',
      ),
    ).toBe(true);
    expect(
      sees(at('global-svc/inventory.global-svc.svc.cluster.local'), 'shop'),
    ).toBe(false);
    expect(sees(at('global-svc/*.svc.cluster.local'), 'shop')).toBe(true);
    expect(
      sees(at('*/product-service.global-svc.svc.cluster.local'), 'shop'),
    ).toBe(true);
    // The namespace part must be the Service's namespace: a host of another namespace does not import it.
    expect(sees(at('payments/*'), 'shop')).toBe(false);
    // Not namespace/dnsName: ignored (log.Errorf, continue).
    expect(
      sees(at('product-service.global-svc.svc.cluster.local'), 'shop'),
    ).toBe(false);
  });

  it('"~" excludes: in the Service\'s namespace or everywhere ("~/*" hides all)', () => {
    const at = (...hosts: string[]) => [sidecar('shop', 's', egress(...hosts))];
    expect(
      sees(
        at('*/*', '~global-svc/product-service.global-svc.svc.cluster.local'),
        'shop',
      ),
    ).toBe(false);
    expect(
      sees(
        at('*/*', '~global-svc/inventory.global-svc.svc.cluster.local'),
        'shop',
      ),
    ).toBe(true);
    expect(sees(at('~/*'), 'shop')).toBe(false);
  });

  it('is visible when any egress listener imports it; a listener with a port needs that Service port', () => {
    const listeners = (port?: number) => [
      sidecar('shop', 's', {
        egress: [
          { hosts: ['./*'] },
          {
            ...(port ? { port: { number: port, protocol: 'HTTP' } } : {}),
            hosts: ['global-svc/*'],
          },
        ],
      }),
    ];
    const svc = { ...product, ports: [8080] };
    expect(sees(listeners(), 'shop', svc)).toBe(true);
    expect(sees(listeners(8080), 'shop', svc)).toBe(true);
    expect(sees(listeners(9090), 'shop', svc)).toBe(false);
  });

  it("applies the selected workload's Sidecar, not the namespace-wide one", () => {
    const sidecars = [
      sidecar('shop', 'ns-wide', egress('*/*')),
      sidecar('shop', 'locked', {
        workloadSelector: { labels: { app: 'frontend' } },
        ...egress('./*'),
      }),
    ];
    expect(sees(sidecars, 'shop', product, { app: 'frontend' })).toBe(false);
    expect(sees(sidecars, 'shop', product, { app: 'cart' })).toBe(true);
  });
});

it('MESH055 names the Sidecar to change and the hosts it imports', () => {
  const f = sidecarHidesFinding(
    'cluster1',
    'shop',
    product,
    sidecar('shop', 's', egress('./*')),
  );
  expect(f).toMatchObject({
    code: 'MESH055',
    clusters: ['cluster1'],
    resource: { kind: 'Sidecar', namespace: 'shop', name: 's' },
  });
  expect(f.message).toContain('imports only "./*"');
  expect(f.hint).toContain(
    'global-svc/product-service.global-svc.svc.cluster.local',
  );
});
