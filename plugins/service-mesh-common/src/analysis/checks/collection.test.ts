import { edit, healthyMesh } from '../../testing/fixtures';
import { codesOf, findingsOf, firingFindings } from '../../testing/findings';

describe('MESH090/091 cluster errors', () => {
  it('reports an unreachable cluster and uses its stale data', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', (_d, c) => {
      c.status = 'stale';
      c.error = {
        code: 'MESH090',
        message: 'connect ECONNREFUSED 127.0.0.1:6443',
      };
    });
    const [f] = firingFindings(snapshot, 'MESH090');
    expect(f.message).toContain(
      'cluster2 is unreachable or timed out: connect ECONNREFUSED',
    );
    expect(f.message).toContain('last good data');
    expect(codesOf(snapshot)).toEqual(['MESH090']);
  });

  it('reports rejected credentials and skips a never-synced cluster in comparisons', () => {
    const snapshot = healthyMesh();
    snapshot.clusters.push({
      name: 'cluster4',
      role: 'management',
      status: 'unauthorized',
      error: { code: 'MESH091', message: 'Unauthorized' },
    });
    expect(codesOf(snapshot)).toEqual(['MESH091']);
    expect(firingFindings(snapshot, 'MESH091')[0].message).toContain(
      'never been read',
    );
  });

  it('does not fire for healthy clusters', () => {
    expect(findingsOf(healthyMesh(), 'MESH090')).toEqual([]);
  });
});

describe('MESH092 access denied', () => {
  it('names the RBAC rule to add', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.partialErrors.push({
        code: 'MESH092',
        message: 'destinationrules.networking.istio.io is forbidden',
        resource: 'destinationrules.networking.istio.io',
      });
    });
    const [f] = firingFindings(snapshot, 'MESH092');
    expect(f.id).toBe('MESH092-cluster1-destinationrules-networking-istio-io');
    expect(f.hint).toContain(
      '{apiGroups: ["networking.istio.io"], resources: ["destinationrules"], verbs: ["list", "watch"]} (ClusterRole)',
    );
  });
});
