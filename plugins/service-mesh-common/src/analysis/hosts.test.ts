/*
 * Cases from istio pkg/config/host/name_test.go (TestNameMatches, TestNameSubsetOf) and pilot/pkg/model/
 * config_test.go (TestResolveShortnameToFQDN, TestMostSpecificHostMatch).
 */
import {
  hostSubsetOf,
  hostsMatch,
  mostSpecificHostMatch,
  resolveShortnameToFqdn,
  serviceHost,
} from './hosts';

describe('resolveShortnameToFqdn (ResolveShortnameToFQDN)', () => {
  it.each([
    ['*', 'default', '*'],
    ['foo', 'default', 'foo.default.svc.cluster.local'],
    ['foo.bar', 'default', 'foo.bar'],
    ['foo', '', 'foo.svc.cluster.local'],
    ['42.185.131.210', 'default', '42.185.131.210'],
    ['2a00:4000::614', 'default', '2a00:4000::614'],
    // Any dotted host is taken as fully qualified: `name.namespace` names no Service.
    ['product-service.global-svc', 'other', 'product-service.global-svc'],
    ['*.global-svc.svc.cluster.local', 'x', '*.global-svc.svc.cluster.local'],
  ])('%s in %s → %s', (host, namespace, fqdn) => {
    expect(resolveShortnameToFqdn(host, namespace)).toBe(fqdn);
  });

  it('names a Service by its FQDN', () => {
    expect(
      serviceHost({ namespace: 'global-svc', name: 'product-service' }),
    ).toBe('product-service.global-svc.svc.cluster.local');
  });
});

describe('hostsMatch (Name.Matches)', () => {
  it.each<[string, string, boolean]>([
    ['', '', true],
    ['', 'foo.com', false],
    ['foo.com', '', false],
    ['foo.com', 'foo.com', true],
    ['bar.com', 'foo.com', false],
    ['bar.foo.com', 'foo.com', false],
    ['foo.com', 'bar.foo.com', false],
    ['*.com', 'foo.com', true],
    ['*.foo.com', 'bar.foo.com', true],
    ['*', 'foo.com', true],
    ['*', '*.com', true],
    ['*', 'com', true],
    ['*', '*', true],
    ['*', '', true],
    ['*.com', '*.foo.com', true],
    ['foo.com', '*.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    ['*.foo.bar.baz', 'baz', false],
    ['baz', '*.foo.bar.baz', false],
    ['*.foo.bar.baz', '*.baz', true],
    ['foo.bar.baz', '*.baz', true],
  ])('%j ~ %j → %s', (a, b, expected) => {
    expect(hostsMatch(a, b)).toBe(expected);
  });
});

describe('hostSubsetOf (Name.SubsetOf)', () => {
  it.each<[string, string, boolean]>([
    ['', '', true],
    ['', 'foo.com', false],
    ['foo.com', 'foo.com', true],
    ['foo.com', '*.com', true],
    ['bar.foo.com', '*.foo.com', true],
    ['foo.com', '*', true],
    ['*.com', '*', true],
    ['', '*', true],
    ['*.foo.com', '*.com', true],
    ['*.com', '*.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    ['*.foo.bar.baz', 'baz', false],
    ['foo.bar.baz', '*.baz', true],
  ])('%j ⊆ %j → %s', (host, pattern, expected) => {
    expect(hostSubsetOf(host, pattern)).toBe(expected);
  });
});

describe('mostSpecificHostMatch (MostSpecificHostMatch)', () => {
  it.each<[string[], string, string | undefined]>([
    [[], '*', undefined],
    [['*.foo.com', '*.com'], 'bar.foo.com', '*.foo.com'],
    [['*.foo.com', '*.com'], 'foo.com', '*.com'],
    [['foo.com', '*.com'], '*.foo.com', '*.com'],
    [['*.foo.com', 'foo.com'], 'foo.com', 'foo.com'],
    [['*.foo.com', 'foo.com'], '*.foo.com', '*.foo.com'],
    [['bar.com', 'foo.com'], '*.com', undefined],
    [['bar.com', '*.foo.com'], '*foo.com', undefined],
    [['foo.com', '*.foo.com'], '*foo.com', undefined],
    [['*.bar.com', 'foo.bar.com'], 'foo.bar.com', 'foo.bar.com'],
    [
      ['*.foo.bar.com', 'bar.foo.bar.com'],
      'bar.foo.bar.com',
      'bar.foo.bar.com',
    ],
    [['bar.foo.com', 'foo.bar.com'], '*.foo.com', undefined],
    [['foo.bar.foo.com', 'bar.foo.bar.com'], '*.bar.foo.com', undefined],
  ])('%j, %s → %s', (hosts, needle, expected) => {
    const specific = new Map<string, string>();
    const wildcard = new Map<string, string>();
    for (const h of hosts) (h.startsWith('*') ? wildcard : specific).set(h, h);
    const found = mostSpecificHostMatch(needle, specific, wildcard);
    expect(found?.host).toBe(expected);
    // The value stored under the host found comes back with it.
    expect(found?.value).toBe(found?.host);
  });
});
