import { bundleRoots, rootTrust } from './rootTrust';

const ca = (...fingerprints: string[]) => ({
  fingerprint: fingerprints[0],
  roots: fingerprints.map(fingerprint => ({ fingerprint })),
  source: 'istio-system/istio-ca-root-cert',
});

describe('rootTrust', () => {
  it('trusts when the bundles share any root (a rotation holds old and new), case-insensitively', () => {
    expect(rootTrust(ca('AA:01'), ca('aa:01'))).toBe('yes');
    expect(rootTrust(ca('AA:01', 'BB:02'), ca('BB:02'))).toBe('yes');
    expect(rootTrust(ca('BB:02'), ca('AA:01', 'BB:02'))).toBe('yes');
    expect(rootTrust(ca('AA:01'), ca('BB:02'))).toBe('no');
  });

  it('is unknown without a readable bundle on either side', () => {
    expect(rootTrust(undefined, ca('AA:01'))).toBe('unknown');
    expect(
      rootTrust({ ...ca('AA:01'), error: 'cannot be parsed' }, ca('AA:01')),
    ).toBe('unknown');
  });

  it('reads the first certificate of snapshots without `roots`', () => {
    expect(
      bundleRoots({ fingerprint: 'aa:01', source: 'x', subject: 'CN=Root' }),
    ).toEqual([{ fingerprint: 'AA:01', subject: 'CN=Root' }]);
  });
});
