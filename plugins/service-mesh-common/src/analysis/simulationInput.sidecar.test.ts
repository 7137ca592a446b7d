// The locality simulation for a client namespace whose Sidecar does not import the Service (MESH055): istiod
// leaves the Service out of that proxy's config (pilot/pkg/model/sidecar.go selectServices), so no cluster's
// endpoints take its requests, whatever the cluster pairs say.
import { simulateLocality } from '../locality/simulate';
import { demoMesh } from '../testUtils/demoMesh';
import type { MeshSnapshot, PolicyResource } from '../types/snapshot';
import { buildSimulationInput } from './simulationInput';

const product = { namespace: 'global-svc', name: 'product-service' };

function withSidecar(
  cluster: string,
  sidecar: Omit<PolicyResource, 'kind'>,
): MeshSnapshot {
  const mesh = demoMesh();
  mesh.clusters
    .find(c => c.name === cluster)!
    .data!.sidecars.push({ kind: 'Sidecar', ...sidecar });
  return mesh;
}

const paymentsOnly = {
  namespace: 'payments',
  name: 'default',
  spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }] },
};

describe('buildSimulationInput with a client workload (Sidecar scope)', () => {
  it('excludes every cluster with MESH055 when the namespace Sidecar does not import the Service', () => {
    const mesh = withSidecar('cluster1', paymentsOnly);
    const input = buildSimulationInput(mesh, product, 'cluster1', undefined, {
      namespace: 'payments',
    });
    expect(
      input.reachability?.map(r => [
        r.to,
        r.outcome,
        r.reasons.map(x => x.code),
      ]),
    ).toEqual([
      ['cluster1', 'excluded', ['MESH055']],
      ['cluster2', 'excluded', ['MESH055']],
      ['cluster3', 'excluded', ['MESH055']],
    ]);
    const result = simulateLocality(input);
    for (const c of result.clients) {
      expect([c.shares, c.noHealthyUpstream]).toEqual([[], true]);
      expect(c.unreachable?.map(u => u.cluster)).toEqual([
        'cluster1',
        'cluster2',
        'cluster3',
      ]);
    }
    expect(
      result.notes.filter(n => n.includes('do not see the service at all')),
    ).toEqual([
      expect.stringMatching(
        /^Clients in cluster1 do not see the service at all: the Sidecar of their namespace does not import it \(hidden by a Sidecar \(MESH055\)\)\. Their requests to it leave through PassthroughCluster/,
      ),
    ]);
  });

  it('changes nothing for a namespace whose Sidecar imports it, for other namespaces, or in other clusters', () => {
    const plain = buildSimulationInput(demoMesh(), product, 'cluster1');
    const importing = withSidecar('cluster1', {
      ...paymentsOnly,
      spec: { egress: [{ hosts: ['./*', 'global-svc/*'] }] },
    });
    expect(
      buildSimulationInput(importing, product, 'cluster1', undefined, {
        namespace: 'payments',
      }).reachability,
    ).toEqual(plain.reachability);
    const hiding = withSidecar('cluster1', paymentsOnly);
    expect(
      buildSimulationInput(hiding, product, 'cluster1', undefined, {
        namespace: 'global-svc',
      }).reachability,
    ).toEqual(plain.reachability);
    // Primaries do not share config: cluster1's Sidecar does not scope cluster2's proxies.
    expect(
      buildSimulationInput(hiding, product, 'cluster2', undefined, {
        namespace: 'payments',
      }).reachability,
    ).toEqual(
      buildSimulationInput(demoMesh(), product, 'cluster2').reachability,
    );
  });

  it("reads the root namespace's default Sidecar for a namespace without its own", () => {
    const mesh = withSidecar('cluster1', {
      namespace: 'istio-system',
      name: 'default',
      spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }] },
    });
    expect(
      buildSimulationInput(mesh, product, 'cluster1', undefined, {
        namespace: 'payments',
      }).reachability?.every(r => r.reasons[0].code === 'MESH055'),
    ).toBe(true);
    // "." is the proxy's namespace: clients in global-svc see their own Service.
    expect(
      buildSimulationInput(mesh, product, 'cluster1', undefined, {
        namespace: 'global-svc',
      }).reachability,
    ).toEqual(
      buildSimulationInput(demoMesh(), product, 'cluster1').reachability,
    );
  });
});
