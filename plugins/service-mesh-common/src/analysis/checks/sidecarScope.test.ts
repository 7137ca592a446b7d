// MESH055 as a check: a namespace's Sidecar (pilot/pkg/model/sidecar.go selectServices) hides a Service of another
// namespace that the namespace has client-side rules for; hiding Services nobody configures calls to is not a
// finding.
import { demoMesh } from '../../testUtils/demoMesh';
import { expectFinding } from '../../__testUtils__/findings';
import { NOW } from '../../__testUtils__/fixtures';
import type { MeshSnapshot, PolicyResource } from '../../types/snapshot';
import { analyzeMesh } from '../analyzeMesh';

function edit(
  cluster: string,
  change: (data: NonNullable<MeshSnapshot['clusters'][number]['data']>) => void,
): MeshSnapshot {
  const mesh = demoMesh();
  change(mesh.clusters.find(c => c.name === cluster)!.data!);
  return mesh;
}

const policy = (
  kind: PolicyResource['kind'],
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): PolicyResource => ({ kind, namespace, name, spec });

const paymentsSidecar = (hosts: string[]) =>
  policy('Sidecar', 'payments', 'default', { egress: [{ hosts }] });

const codes055 = (mesh: MeshSnapshot) =>
  analyzeMesh(mesh, { now: NOW }).filter(f => f.code === 'MESH055');

describe('MESH055 (sidecarScope)', () => {
  it('fires when payments has a DestinationRule for product-service but its Sidecar imports only ./*', () => {
    const mesh = edit('cluster1', d => {
      d.sidecars.push(paymentsSidecar(['./*', 'istio-system/*']));
      d.destinationRules.push(
        policy('DestinationRule', 'payments', 'product-client', {
          host: 'product-service.global-svc.svc.cluster.local',
          trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        }),
      );
    });
    const [f] = expectFinding(analyzeMesh(mesh, { now: NOW }), 'MESH055');
    expect(f).toMatchObject({
      severity: 'warning',
      clusters: ['cluster1'],
      resource: { kind: 'Sidecar', namespace: 'payments', name: 'default' },
    });
    expect(f.message).toContain(
      'do not see Service global-svc/product-service',
    );
    expect(f.message).toContain(
      'payments has DestinationRule product-client for it',
    );
  });

  it('fires for a VirtualService route to a short name of another namespace excluded with ~', () => {
    const mesh = edit('cluster2', d => {
      d.sidecars.push(
        paymentsSidecar([
          '*/*',
          '~global-svc/inventory.global-svc.svc.cluster.local',
        ]),
      );
      d.virtualServices.push(
        policy('VirtualService', 'payments', 'stock', {
          hosts: ['stock'],
          http: [
            {
              route: [
                {
                  destination: {
                    host: 'inventory.global-svc.svc.cluster.local',
                  },
                },
              ],
            },
          ],
        }),
      );
    });
    expect(
      codes055(mesh).map(f => [f.clusters, f.message.includes('inventory')]),
    ).toEqual([[['cluster2'], true]]);
  });

  it('stays quiet when the Sidecar imports it, when nothing in the namespace configures calls to it, and for the demo', () => {
    expect(codes055(demoMesh())).toEqual([]);
    const importing = edit('cluster1', d => {
      d.sidecars.push(paymentsSidecar(['./*', 'global-svc/*']));
      d.destinationRules.push(
        policy('DestinationRule', 'payments', 'product-client', {
          host: 'product-service.global-svc.svc.cluster.local',
        }),
      );
    });
    expect(codes055(importing)).toEqual([]);
    // Hidden, but no rule of payments names it: what Sidecars are for.
    const hiddenOnly = edit('cluster1', d => {
      d.sidecars.push(paymentsSidecar(['./*']));
    });
    expect(codes055(hiddenOnly)).toEqual([]);
    // A rule in the Service's own namespace is written for every client: not evidence.
    const ownNamespace = edit('cluster1', d => {
      d.sidecars.push(
        policy('Sidecar', 'global-svc', 'default', {
          egress: [{ hosts: ['istio-system/*'] }],
        }),
      );
    });
    expect(codes055(ownNamespace)).toEqual([]);
  });
});
