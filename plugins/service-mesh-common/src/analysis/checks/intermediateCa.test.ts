import { edit, editAll, healthyMesh, NOW } from '../../__testUtils__/fixtures';
import { findingsOf, firingFindings } from '../../__testUtils__/findings';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) =>
  new Date(NOW.getTime() + days * DAY).toISOString();

const withIntermediate = (notAfter: string) =>
  editAll(healthyMesh(), d => {
    d.rootCA!.intermediates = [
      {
        fingerprint: 'AB:CD:EF:01',
        subject: 'O=cluster.local, CN=Intermediate CA',
        issuer: 'O=Istio, CN=Root CA',
        notAfter,
      },
    ];
  });

// A certificate chain is valid only while every certificate in it is (RFC 5280 6.1.3: validity of each
// certificate); istiod publishes the root bundle only (certcontroller.go GetRootCertPem), which may hold one.
describe('MESH022 intermediate CA expiry', () => {
  it('warns with the days left, naming every cluster that carries it once', () => {
    const findings = firingFindings(withIntermediate(inDays(20.5)), 'MESH022');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        clusters: ['cluster1', 'cluster2', 'cluster3'],
        message: expect.stringContaining('(in 20 days)'),
      }),
    ]);
    expect(findings[0].message).toContain(
      'Intermediate CA (issued by O=Istio, CN=Root CA)',
    );
  });

  it('errors once expired, and is silent outside the expiry window or without intermediates', () => {
    expect(
      findingsOf(withIntermediate(inDays(-1)), 'MESH022')[0].severity,
    ).toBe('error');
    expect(findingsOf(withIntermediate(inDays(400)), 'MESH022')).toEqual([]);
    expect(findingsOf(healthyMesh(), 'MESH022')).toEqual([]);
    const oneCluster = edit(healthyMesh(), 'cluster2', d => {
      d.rootCA!.intermediates = [{ fingerprint: 'AB', notAfter: inDays(3) }];
    });
    expect(findingsOf(oneCluster, 'MESH022')[0].clusters).toEqual(['cluster2']);
  });
});
