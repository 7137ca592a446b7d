import { demoMember } from '../__testUtils__/fakeCluster';
import { collectCluster } from './collectCluster';
import { share, shareSnapshotValues } from './intern';

describe('share', () => {
  it('returns one frozen instance per value', () => {
    const a = share({ app: 'x', nested: { v: [1] } });
    const b = share({ app: 'x', nested: { v: [1] } });
    expect(b).toBe(a);
    expect(Object.isFrozen(a.nested.v)).toBe(true);
    expect(share({ app: 'y' })).not.toBe(a);
  });

  it('shares the values of a snapshot read back from a store', async () => {
    const member = { role: 'member' as const, readServiceMeshes: false };
    const clusters = await Promise.all(
      ['cluster1', 'cluster2'].map(async (name, i) => ({
        name,
        role: 'member' as const,
        status: 'ok' as const,
        data: await collectCluster(
          demoMember(name, `region${i + 1}`, `network${i + 1}`, []).client(),
          member,
        ),
      })),
    );
    const snapshot = { schemaVersion: 1, generatedAt: '', clusters };
    const decoded = JSON.parse(JSON.stringify(snapshot));
    const shared = shareSnapshotValues(decoded);
    expect(shared).toEqual(snapshot);
    const [a, b] = shared.clusters.map((c: any) => c.data);
    expect(b.destinationRules[0]).toBe(a.destinationRules[0]);
    expect(b.services[0].labels).toBe(a.services[0].labels);
    expect(b.services[0].ports).toBe(a.services[0].ports);
  });
});
