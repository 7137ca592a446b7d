import { edit, healthyMesh } from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

describe('MESH001 ServiceMesh status', () => {
  it('warns while an upgrade is in progress (version ≠ desired version)', () => {
    const snapshot = edit(healthyMesh(), 'global', d => {
      d.serviceMeshes[2].version = 'v4.0.19';
      d.serviceMeshes[2].phase = 'Deploying';
    });
    const [f] = firingFindings(snapshot, 'MESH001');
    expect(f).toMatchObject({ severity: 'warning', clusters: ['cluster3'] });
    expect(f.message).toContain('upgrading: version v4.0.19, desired v4.0.20');
    expect(f.resource).toEqual({
      kind: 'ServiceMesh',
      namespace: 'cpaas-system',
      name: 'cluster3',
    });
    expect(codesOf(snapshot)).toEqual(['MESH001']);
  });

  it('errors when the phase is not Deployed', () => {
    const snapshot = edit(healthyMesh(), 'global', d => {
      d.serviceMeshes[0].phase = 'Failed';
    });
    expect(findingsOf(snapshot, 'MESH001')).toEqual([
      expect.objectContaining({ severity: 'error', clusters: ['cluster1'] }),
    ]);
  });

  it('errors when an upgrade failed', () => {
    const snapshot = edit(healthyMesh(), 'global', d => {
      d.serviceMeshes[0].phase = 'Failed';
      d.serviceMeshes[0].desiredVersion = 'v4.0.21';
    });
    expect(findingsOf(snapshot, 'MESH001')[0].severity).toBe('error');
  });

  it('does not fire when Deployed at the desired version, or with no status yet', () => {
    const snapshot = edit(healthyMesh(), 'global', d => {
      delete d.serviceMeshes[0].phase;
      delete d.serviceMeshes[1].version;
    });
    expect(findingsOf(snapshot, 'MESH001')).toEqual([]);
  });
});

describe('MESH002 istiod readiness', () => {
  it('errors when the revision namespaces use has no ready istiod', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.controlPlanes[0].readyReplicas = 0;
    });
    const [f] = firingFindings(snapshot, 'MESH002');
    expect(f).toMatchObject({ severity: 'error', clusters: ['cluster2'] });
    expect(f.message).toContain('revision 1-22');
    expect(f.message).toContain('global-svc');
  });

  // Failed before revision tags were resolved: a namespace on tag `prod` was not tied to revision 1-23.
  it('resolves a revision tag to the istiod it points at (istioctl tag set prod --revision 1-23)', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.controlPlanes.push({
        ...d.controlPlanes[0],
        revision: '1-23',
        deployment: 'istiod-1-23',
        readyReplicas: 0,
      });
      d.revisionTags = [
        { tag: 'prod', revision: '1-23', webhook: 'istio-revision-tag-prod' },
      ];
      d.namespaces[1].labels['istio.io/rev'] = 'prod';
    });
    const [f] = firingFindings(snapshot, 'MESH002');
    expect(f.message).toContain(
      'istiod revision 1-23 (through tag prod) in cluster2 (istio-system/istiod-1-23) has 0/1 ready replicas',
    );
    expect(f.resource).toEqual({
      kind: 'Deployment',
      namespace: 'istio-system',
      name: 'istiod-1-23',
    });
  });

  // Failed before: `default` fell back to every istiod of the cluster, so an unready istiod behind the default tag
  // was hidden by a ready one of another revision.
  it('follows the default tag, not every istiod, for istio-injection=enabled', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.controlPlanes.push({
        ...d.controlPlanes[0],
        revision: '1-23',
        deployment: 'istiod-1-23',
        readyReplicas: 0,
      });
      d.revisionTags = [
        {
          tag: 'default',
          revision: '1-23',
          webhook: 'istio-revision-tag-default',
        },
      ];
      d.namespaces.push({
        name: 'legacy',
        labels: { 'istio-injection': 'enabled' },
        onboarded: true,
        revision: 'default',
      });
    });
    expect(firingFindings(snapshot, 'MESH002')[0].message).toContain(
      'revision 1-23 (through tag default)',
    );
  });

  it('does not fire when no onboarded namespace uses the unready revision', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.controlPlanes.push({
        ...d.controlPlanes[0],
        revision: '1-23',
        deployment: 'istiod-1-23',
        readyReplicas: 0,
      });
    });
    expect(findingsOf(snapshot, 'MESH002')).toEqual([]);
  });
});

describe('MESH003 Istio versions', () => {
  it('warns when control planes run different versions', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.controlPlanes[0].version = '1.23.1';
    });
    const [f] = firingFindings(snapshot, 'MESH003');
    expect(f.severity).toBe('warning');
    expect(f.message).toBe(
      'Istio versions differ across the mesh: 1.22.4 in cluster1 and cluster2; 1.23.1 in cluster3.',
    );
    expect(f.hint).toContain('1.23.1');
  });

  it('ignores build metadata and a v prefix', () => {
    let snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.controlPlanes[0].version = 'v1.22.4';
    });
    snapshot = edit(snapshot, 'cluster2', d => {
      d.controlPlanes[0].version = '1.22.4+202408291030';
    });
    expect(findingsOf(snapshot, 'MESH003')).toEqual([]);
  });
});

describe('MESH004 mesh identity', () => {
  it('errors when meshID differs', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.meshConfigs[0].meshId = 'mesh2';
    });
    const [f] = firingFindings(snapshot, 'MESH004');
    expect(f.message).toContain('meshID differs');
    expect(f.clusters).toEqual(['cluster1', 'cluster2', 'cluster3']);
  });

  it('errors when the trust domain differs (unset means cluster.local)', () => {
    let snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.meshConfigs[0].trustDomain = 'example.org';
    });
    snapshot = edit(snapshot, 'cluster2', d => {
      delete d.meshConfigs[0].trustDomain;
    });
    const findings = firingFindings(snapshot, 'MESH004');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain(
      'cluster.local in cluster1 and cluster2; example.org in cluster3',
    );
  });

  it('does not fire when every cluster agrees, nor for a cluster without mesh config', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.meshConfigs = [];
    });
    expect(findingsOf(snapshot, 'MESH004')).toEqual([]);
  });
});
