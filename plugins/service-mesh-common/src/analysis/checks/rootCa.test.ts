import { edit, healthyMesh, NOW } from '../../__testUtils__/fixtures';
import { findingsOf, firingFindings } from '../../__testUtils__/findings';

describe('MESH020 root CA differs', () => {
  it('errors naming the odd cluster out', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.rootCA!.fingerprint = '11:22:33:44:55:66:77:88:99:00:11:22:33:44:55:66';
    });
    const [f] = firingFindings(snapshot, 'MESH020');
    expect(f).toMatchObject({
      severity: 'error',
      clusters: ['cluster1', 'cluster2', 'cluster3'],
    });
    expect(f.message).toMatch(
      /^Root CA differs across clusters: cluster1 and cluster2 use AA:BB:CC:DD…/,
    );
    expect(f.hint).toContain('on cluster3 (as on cluster1 and cluster2)');
    expect(f.hint).toContain(
      'kubectl create secret generic cacerts -n istio-system',
    );
  });

  it('does not fire when the fingerprints match (case-insensitive) or one cluster has no CA data', () => {
    let snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.rootCA!.fingerprint = d.rootCA!.fingerprint.toLowerCase();
    });
    snapshot = edit(snapshot, 'cluster2', d => {
      delete d.rootCA;
    });
    expect(findingsOf(snapshot, 'MESH020')).toEqual([]);
  });
});

describe('MESH020 during a root rotation', () => {
  const NEW_ROOT = '11:22:33:44:55:66:77:88:99:00:11:22:33:44:55:66';

  it('does not fire while the bundles share a root (old + new on one cluster, old elsewhere)', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.rootCA!.roots = [
        { fingerprint: NEW_ROOT, subject: 'CN=New Root' },
        { fingerprint: d.rootCA!.fingerprint, subject: 'CN=Root CA' },
      ];
      d.rootCA!.fingerprint = NEW_ROOT;
    });
    expect(findingsOf(snapshot, 'MESH020')).toEqual([]);
  });

  it('fires for the pairs that share no root, naming the bundles', () => {
    let snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.rootCA!.roots = [
        { fingerprint: d.rootCA!.fingerprint },
        { fingerprint: NEW_ROOT },
      ];
    });
    snapshot = edit(snapshot, 'cluster3', d => {
      d.rootCA!.fingerprint = NEW_ROOT;
      d.rootCA!.roots = [{ fingerprint: NEW_ROOT }];
    });
    const [f] = findingsOf(snapshot, 'MESH020');
    expect(f.clusters).toEqual(['cluster1', 'cluster3']);
    expect(f.message).toContain('cluster2 trusts AA:BB:CC:DD…');
    expect(f.message).toContain('cluster1 ↔ cluster3 share no root');
  });
});

describe('MESH021 root CA expiry', () => {
  it('warns within 30 days and errors once expired', () => {
    const soon = edit(healthyMesh(), 'cluster1', () => undefined);
    for (const c of soon.clusters)
      if (c.data?.rootCA) c.data.rootCA.notAfter = '2026-06-20T00:00:00Z';
    const [f] = firingFindings(soon, 'MESH021', NOW);
    expect(f).toMatchObject({
      severity: 'warning',
      clusters: ['cluster1', 'cluster2', 'cluster3'],
    });
    expect(f.message).toContain('in 19 days');
    const [expired] = firingFindings(
      soon,
      'MESH021',
      new Date('2026-07-01T00:00:00Z'),
    );
    expect(expired.severity).toBe('error');
  });

  it('does not fire 31 days before expiry', () => {
    const snapshot = healthyMesh();
    for (const c of snapshot.clusters)
      if (c.data?.rootCA) c.data.rootCA.notAfter = '2026-07-02T00:00:00Z';
    expect(findingsOf(snapshot, 'MESH021', NOW)).toEqual([]);
  });
});
