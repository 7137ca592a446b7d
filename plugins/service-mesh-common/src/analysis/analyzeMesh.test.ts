import { ALL_FINDING_CODES } from '../findings/codes';
import { healthyMesh, NOW, edit } from '../testing/fixtures';
import { analyzeMesh } from './analyzeMesh';

describe('analyzeMesh', () => {
  it('reports nothing for a healthy multi-primary, multi-network mesh', () => {
    expect(analyzeMesh(healthyMesh(), { now: NOW })).toEqual([]);
  });

  it('returns sorted findings (severity, code, id) with unique URL-safe ids', () => {
    let snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.remoteSecrets = [];
      d.nodes.unlabelled = ['n1'];
      d.nodes.unlabelledCount = 1;
    });
    snapshot = edit(snapshot, 'cluster3', d => {
      d.eastWestGateways[0].addresses = [];
    });
    const findings = analyzeMesh(snapshot, { now: NOW });
    expect(findings.map(f => f.code)).toEqual([
      'MESH010',
      'MESH010',
      'MESH032',
      'MESH040',
    ]);
    expect(findings.map(f => f.severity)).toEqual([
      'error',
      'error',
      'error',
      'warning',
    ]);
    expect(findings[0].id).toBe(
      'MESH010-cluster1-cluster2-secret-istio-system-istio-remote-secret-cluster1',
    );
    for (const f of findings) {
      expect(f.id).toMatch(/^[A-Za-z0-9-]+$/);
      expect(ALL_FINDING_CODES).toContain(f.code);
      expect(f.hint.length).toBeGreaterThan(10);
    }
    expect(new Set(findings.map(f => f.id)).size).toBe(findings.length);
    // Deterministic: same input, same output.
    expect(analyzeMesh(snapshot, { now: NOW })).toEqual(findings);
  });
});
