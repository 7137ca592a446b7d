import { edit, healthyMesh } from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

describe('MESH050 Service differs', () => {
  it('warns when ports differ, naming each variant', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.services[0].ports[0].port = 8080;
    });
    const [f] = firingFindings(snapshot, 'MESH050');
    expect(f.message).toContain(
      'ports: cluster1 and cluster2 80/http/TCP; cluster3 8080/http/TCP',
    );
    expect(f.resource).toEqual({
      kind: 'Service',
      namespace: 'global-svc',
      name: 'product-service',
    });
  });

  it('warns when the selector differs', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.services[0].selector = { app: 'product-v2' };
    });
    expect(findingsOf(snapshot, 'MESH050')[0].message).toContain('selector:');
  });

  it('does not fire when only targetPort, endpoints or type differ', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.services[0].ports[0].targetPort = 9090;
      d.services[0].type = 'LoadBalancer';
      d.services[0].endpoints = [];
    });
    expect(findingsOf(snapshot, 'MESH050')).toEqual([]);
  });
});

describe('MESH051 Service missing', () => {
  it('reports the clusters where the namespace is onboarded but the Service is missing', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.services = [];
    });
    const [f] = firingFindings(snapshot, 'MESH051');
    expect(f).toMatchObject({ severity: 'info', clusters: ['cluster2'] });
    expect(codesOf(snapshot)).toEqual(['MESH051']);
  });

  it('does not fire when the Service exists everywhere without endpoints in some clusters', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.services[0].endpoints = [];
      d.workloads = [];
    });
    expect(codesOf(snapshot)).toEqual([]);
  });

  it('does not fire where the namespace is not onboarded (that is MESH062)', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.services = [];
      d.workloads = [];
      d.destinationRules = [];
      d.namespaces = d.namespaces.filter(n => n.name !== 'global-svc');
    });
    expect(codesOf(snapshot)).toEqual(['MESH062']);
  });

  it('does not fire where services could not be read (403)', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.services = [];
      d.partialErrors = [
        { code: 'MESH092', message: 'forbidden', resource: 'services' },
      ];
    });
    // What could not be checked is said, not silently skipped (MESH098, info).
    expect(codesOf(snapshot)).toEqual(['MESH092', 'MESH098']);
  });
});
