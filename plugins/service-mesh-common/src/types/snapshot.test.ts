import { healthyMesh } from '../__testUtils__/fixtures';
import {
  type MeshSnapshot,
  parseClusterData,
  parseLocality,
  parseSnapshot,
} from './snapshot';

describe('parseSnapshot', () => {
  it('returns a well-formed snapshot as it is (no copy, shared objects stay shared)', () => {
    const snapshot = healthyMesh();
    expect(parseSnapshot(snapshot)).toBe(snapshot);
    const decoded = JSON.parse(JSON.stringify(snapshot));
    const parsed = parseSnapshot(decoded);
    expect(parsed).toBe(decoded);
    expect(parsed).toEqual(snapshot);
    // Parsed once, recognised after: the analysis does not walk it again.
    expect(parseSnapshot(parsed)).toBe(parsed);
  });

  it('repairs a malformed snapshot without losing the good parts', () => {
    const snapshot = healthyMesh() as any;
    snapshot.clusters[1].data.services[0].endpoints[0].ready = '3';
    snapshot.clusters[1].data.services.push({ name: 'no-namespace' });
    snapshot.clusters[2].role = 'owner';
    snapshot.clusters.push({ name: snapshot.clusters[0].name, status: 'ok' });
    snapshot.clusters.push({ status: 'ok' });
    const parsed = parseSnapshot(snapshot);
    expect(parsed.clusters.map(c => c.name)).toEqual(
      healthyMesh().clusters.map(c => c.name),
    );
    const services = parsed.clusters[1].data!.services;
    expect(services).toHaveLength(
      healthyMesh().clusters[1].data!.services.length,
    );
    expect(services[0].endpoints[0].ready).toBe(3);
    expect(parsed.clusters[2].role).toBe('member');
    // The clusters that were fine are the same objects.
    expect(parsed.clusters[0]).toBe(snapshot.clusters[0]);
  });

  it('fills role and status the way the collectors would', () => {
    const parsed = parseSnapshot({
      managementCluster: 'global',
      clusters: [
        { name: 'global', data: { serviceMeshes: [{ name: 'c1' }] } },
        { name: 'c1', status: 'weird' },
      ],
    } as unknown as MeshSnapshot);
    expect(parsed).toMatchObject({
      schemaVersion: 1,
      generatedAt: '',
      clusters: [
        { name: 'global', role: 'management', status: 'ok' },
        { name: 'c1', role: 'member', status: 'error' },
      ],
    });
    // The ServiceMesh names its cluster after itself when spec.cluster is unset.
    expect(parsed.clusters[0].data!.serviceMeshes[0]).toMatchObject({
      name: 'c1',
      cluster: 'c1',
      namespace: '',
      spec: {},
    });
  });

  it('merges duplicate namespaces (onboarded wins) and counts at least what is listed', () => {
    const data = parseClusterData({
      namespaces: [
        { name: 'a', onboarded: false },
        { name: 'a', onboarded: true, labels: { x: 'y' } },
      ],
      nodes: { total: 1, byLocality: [{ region: 'r', zone: 'z', nodes: 4 }] },
      istiod: [{ revision: '1-22', status: 'nope', proxies: { rows: [{}] } }],
    });
    expect(data.namespaces).toEqual([
      { name: 'a', onboarded: true, labels: { x: 'y' } },
    ]);
    expect(data.nodes.total).toBe(4);
    expect(data.istiod).toEqual([
      {
        revision: '1-22',
        namespace: 'istio-system',
        status: 'error',
        proxies: {
          total: 0,
          synced: 0,
          byNamespace: [],
          versions: [],
          rows: [],
          rowsTotal: 0,
        },
      },
    ]);
    expect(parseClusterData('garbage').services).toEqual([]);
    expect(parseLocality(null)).toEqual({ region: '', zone: '' });
  });
});
