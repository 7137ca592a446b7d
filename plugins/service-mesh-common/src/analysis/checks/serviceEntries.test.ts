// MESH064: each primary builds the service of a ServiceEntry host from its own ServiceEntries (resolution, ports:
// pilot/pkg/serviceregistry/serviceentry/conversion.go convertServices); remote secrets never carry them.
import { demoMesh } from '../../testUtils/demoMesh';
import { expectFinding } from '../../__testUtils__/findings';
import { NOW } from '../../__testUtils__/fixtures';
import type { MeshSnapshot } from '../../types/snapshot';
import { analyzeMesh } from '../analyzeMesh';

const entry = (name: string, spec: Record<string, unknown>) => ({
  kind: 'ServiceEntry' as const,
  namespace: 'payments',
  name,
  spec: {
    hosts: ['ledger.internal.example.com'],
    location: 'MESH_INTERNAL',
    ports: [{ number: 8443, name: 'grpc', protocol: 'GRPC' }],
    resolution: 'STATIC',
    endpoints: [{ address: '10.10.0.5' }],
    ...spec,
  },
});

function withEntries(
  entries: Record<string, ReturnType<typeof entry>[]>,
): MeshSnapshot {
  const mesh = demoMesh();
  for (const [cluster, list] of Object.entries(entries))
    mesh.clusters
      .find(c => c.name === cluster)!
      .data!.serviceEntries.push(...list);
  return mesh;
}

const mesh064 = (mesh: MeshSnapshot) =>
  analyzeMesh(mesh, { now: NOW }).filter(f => f.code === 'MESH064');

describe('MESH064 (serviceEntryHosts)', () => {
  it('fires when clusters define one MESH_INTERNAL host with a different resolution or ports under other names', () => {
    const mesh = withEntries({
      cluster1: [entry('ledger', {})],
      cluster2: [
        entry('ledger-dns', {
          resolution: 'DNS',
          endpoints: [{ address: 'ledger.db.example.com' }],
        }),
      ],
    });
    const [f] = expectFinding(analyzeMesh(mesh, { now: NOW }), 'MESH064');
    expect(f).toMatchObject({
      severity: 'warning',
      clusters: ['cluster1', 'cluster2'],
      resource: { kind: 'ServiceEntry', namespace: 'payments', name: 'ledger' },
    });
    expect(f.message).toContain(
      'cluster1: ServiceEntry payments/ledger (resolution STATIC, ports 8443/GRPC); cluster2: ServiceEntry payments/ledger-dns (resolution DNS, ports 8443/GRPC)',
    );
    const ports = withEntries({
      cluster1: [entry('ledger', {})],
      cluster3: [
        entry('ledger-v2', {
          ports: [{ number: 8443, name: 'tcp', protocol: 'TCP' }],
        }),
      ],
    });
    expect(mesh064(ports).map(x => x.clusters)).toEqual([
      ['cluster1', 'cluster3'],
    ]);
  });

  it('stays quiet for a consistent definition, same-named copies (MESH052), one cluster, external hosts and the demo', () => {
    expect(mesh064(demoMesh())).toEqual([]);
    // Consistent, even under different names and endpoint lists: the clients see the same service.
    expect(
      mesh064(
        withEntries({
          cluster1: [entry('ledger', {})],
          cluster2: [
            entry('ledger-copy', { endpoints: [{ address: '10.20.0.5' }] }),
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      mesh064(
        withEntries({
          cluster1: [entry('ledger', {})],
          cluster2: [entry('ledger', { resolution: 'DNS' })],
        }),
      ),
    ).toEqual([]);
    expect(
      mesh064(
        withEntries({
          cluster1: [
            entry('ledger', {}),
            entry('ledger-b', { resolution: 'DNS' }),
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      mesh064(
        withEntries({
          cluster1: [entry('ledger', { location: 'MESH_EXTERNAL' })],
          cluster2: [
            entry('ledger-dns', {
              location: 'MESH_EXTERNAL',
              resolution: 'DNS',
            }),
          ],
        }),
      ),
    ).toEqual([]);
  });
});
