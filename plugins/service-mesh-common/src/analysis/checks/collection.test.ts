import { edit, healthyMesh } from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

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

describe('MESH094–097 cluster access', () => {
  it('reports a cluster that cannot be read with the fix cluster access gave, and its severity', () => {
    const snapshot = healthyMesh();
    snapshot.clusters.push({
      name: 'cluster4',
      role: 'member',
      status: 'error',
      error: {
        code: 'MESH094',
        message:
          "cluster 'cluster4' uses the client-side auth provider 'google'",
        hint: 'Configure cluster4 with the server-side provider googleServiceAccount.',
      },
    });
    const [f] = firingFindings(snapshot, 'MESH094');
    expect(f).toMatchObject({
      severity: 'warning',
      clusters: ['cluster4'],
      hint: 'Configure cluster4 with the server-side provider googleServiceAccount.',
    });
    expect(f.message).toContain("client-side auth provider 'google'");
    expect(f.message).toContain('never been read');
    expect(codesOf(snapshot).filter(c => c.startsWith('MESH09'))).toEqual([
      'MESH094',
    ]);
  });

  it('keeps MESH096 an error, and reports a failing cluster source without a cluster', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', (_d, c) => {
      c.status = 'stale';
      c.error = {
        code: 'MESH096',
        message: "no credentials for cluster 'cluster2' (auth provider 'aws')",
        hint: 'For cluster2: give the backend AWS credentials.',
      };
    });
    snapshot.sourceErrors = [
      {
        source: 'kubernetes.clusterLocatorMethods[1] (catalog)',
        code: 'MESH097',
        message: 'connect ECONNREFUSED',
        hint: 'Check that the backend reaches the catalog.',
      },
    ];
    expect(firingFindings(snapshot, 'MESH096')[0]).toMatchObject({
      severity: 'error',
      clusters: ['cluster2'],
    });
    expect(findingsOf(snapshot, 'MESH096')[0].message).toContain(
      'last good data',
    );
    const [source] = firingFindings(snapshot, 'MESH097');
    expect(source).toMatchObject({
      severity: 'error',
      clusters: [],
      hint: 'Check that the backend reaches the catalog.',
    });
    expect(source.message).toContain(
      'kubernetes.clusterLocatorMethods[1] (catalog)',
    );
  });
});

describe('MESH095 unknown auth provider', () => {
  it('reports the cluster with the known provider names', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', (_d, c) => {
      c.status = 'stale';
      c.error = {
        code: 'MESH095',
        message:
          "cluster 'cluster3' names the auth provider 'serviceAcount', which no strategy provides (known: aws, azure, serviceAccount)",
        hint: 'Fix authProvider of cluster3 to one of aws, azure, serviceAccount.',
      };
    });
    const [f] = firingFindings(snapshot, 'MESH095');
    expect(f).toMatchObject({ severity: 'error', clusters: ['cluster3'] });
    expect(f.hint).toContain('aws, azure, serviceAccount');
  });
});
