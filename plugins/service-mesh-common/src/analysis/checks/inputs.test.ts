/*
 * Each check reads exactly the inputs it declares (Istio's analyzers_test.go CheckMetadataInputs does the same):
 * the runner leaves a cluster out of a check only for the declared inputs, so an undeclared read would consume
 * data that may be unknown, and a declared input never read would skip the check for nothing.
 */
import type { ClusterMeshData, MeshSnapshot } from '../../types/snapshot';
import { withIstiod } from '../../__testUtils__/istiodFixtures';
import { demoMesh } from '../../testUtils/demoMesh';
import {
  edit,
  editAll,
  healthyMesh,
  NOW,
  policy,
} from '../../__testUtils__/fixtures';
import type { MeshCheck } from '../check';
import { buildContext } from '../context';
import { CHECK_INPUTS } from '../inputs';
import { parseSnapshot } from '../../types/snapshot';
import { MESH_CHECKS } from '.';

/** The ClusterMeshData keys `check` reads on `snapshot`, recorded through a Proxy on each cluster's data. */
function readsOf(check: MeshCheck, snapshot: MeshSnapshot): Set<string> {
  const normalized = parseSnapshot(structuredClone(snapshot));
  const reads = new Set<string>();
  const recorder = { on: false };
  const handler: ProxyHandler<ClusterMeshData> = {
    get(target, key, receiver) {
      if (recorder.on && typeof key === 'string') reads.add(key);
      return Reflect.get(target, key, receiver);
    },
  };
  for (const c of normalized.clusters)
    if (c.data) c.data = new Proxy(c.data, handler);
  const ctx = buildContext(normalized, { now: NOW });
  recorder.on = true;
  check.run(ctx);
  return reads;
}

const SNAPSHOTS: Array<[string, MeshSnapshot]> = [
  ['healthy mesh', healthyMesh()],
  ['demo mesh', demoMesh()],
  ['istiod views', withIstiod(healthyMesh())],
  [
    'policies in one cluster only',
    edit(healthyMesh(), 'cluster1', d => {
      const ns = d.namespaces.find(n => n.onboarded)!.name;
      d.destinationRules.push(
        policy('DestinationRule', ns, 'only-here', {
          host: 'product-service',
          subsets: [{ name: 'v9', labels: { version: 'v9' } }],
        }),
      );
      d.virtualServices.push(policy('VirtualService', ns, 'only-here', {}));
      d.peerAuthentications.push(
        policy('PeerAuthentication', ns, 'only-here', {}),
      );
      d.authorizationPolicies.push(
        policy('AuthorizationPolicy', ns, 'only-here', {}),
      );
      d.sidecars.push(policy('Sidecar', ns, 'only-here', {}));
      d.serviceEntries.push(policy('ServiceEntry', ns, 'only-here', {}));
    }),
  ],
  [
    'networks declared in the mesh config only',
    editAll(healthyMesh(), (d, c) => {
      d.systemNamespaceNetwork = undefined;
      d.meshConfigs = d.meshConfigs.map(m => ({ ...m, network: c.network }));
    }),
  ],
];

describe('check inputs', () => {
  it.each(MESH_CHECKS.map(c => [c.name, c] as const))(
    '%s reads exactly what it declares',
    (_name, check) => {
      const reads = new Set<string>();
      for (const [, snapshot] of SNAPSHOTS)
        for (const key of readsOf(check, snapshot)) reads.add(key);
      const inputs = [...reads].filter(k =>
        (CHECK_INPUTS as string[]).includes(k),
      );
      expect(inputs.sort()).toEqual([...check.inputs].sort());
    },
  );
});
