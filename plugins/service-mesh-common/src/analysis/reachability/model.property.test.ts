/*
 * The model and the findings never disagree: on random meshes (networks, remote secrets, primaries and remotes,
 * gateway Services of every exposure kind, AUTO_PASSTHROUGH Gateways, root bundles, meshNetworks, istiod's
 * hostname resolution), every "no" of the model is explained by findings that fire, and every reachability
 * finding that fires as an error cuts some pair.
 */
import fc from 'fast-check';
import type { FindingCode } from '../../findings/registry';
import {
  NOW,
  healthyMemberData,
  memberCluster,
} from '../../__testUtils__/fixtures';
import { healthyIstiodView } from '../../__testUtils__/istiodFixtures';
import type {
  ClusterMeshData,
  EastWestGateway,
  MeshSnapshot,
} from '../../types/snapshot';
import { analyzeMesh } from '../analyzeMesh';
import { meshReachability } from './model';

const NAMES = ['cluster1', 'cluster2', 'cluster3', 'cluster4'];
const NETWORKS = ['n1', 'n2', 'n3'];
const ROOTS = ['AA:01', 'BB:02', 'CC:03'];
const REACHABILITY_CODES: FindingCode[] = [
  'MESH010',
  'MESH012',
  'MESH014',
  'MESH020',
  'MESH030',
  'MESH031',
  'MESH032',
  'MESH033',
  'MESH034',
  'MESH035',
  'MESH036',
];

const gatewayArb = fc.record({
  label: fc.constantFrom('own', 'own', 'own', 'other', 'none'),
  type: fc.constantFrom('LoadBalancer', 'NodePort', 'ClusterIP'),
  lb: fc.constantFrom('ip', 'hostname', 'none'),
  externalIP: fc.boolean(),
  nodes: fc.constantFrom('external', 'internal', 'none', 'no-annotation'),
  portLabel: fc.constantFrom(undefined, '443', 'bad'),
  exposes: fc.constantFrom('gateway-port', '15443', 'none'),
  ready: fc.constantFrom(0, 1, 2),
  desired: fc.constantFrom(0, 2),
});

const memberArb = fc.record({
  network: fc.constantFrom(...NETWORKS),
  declared: fc.constantFrom('namespace', 'namespace', 'meshConfig', 'none'),
  primary: fc.constantFrom(true, true, true, false),
  secrets: fc.subarray(NAMES),
  controlPlaneClusters: fc.constantFrom<string[] | undefined>(
    undefined,
    ['cluster1'],
    ['*'],
  ),
  gateways: fc.array(gatewayArb, { maxLength: 2 }),
  passthrough: fc.constantFrom('15443', '443', 'none', 'wrong-selector'),
  roots: fc.subarray(ROOTS),
  resolvesHostnames: fc.constantFrom(undefined, false),
  meshNetworksGateway: fc.constantFrom(undefined, ...NETWORKS),
  forbidden: fc.constantFrom<string[]>(
    [],
    [],
    [],
    [],
    ['secrets'],
    ['services'],
    ['gateways'],
    ['namespaces'],
  ),
  neverRead: fc.constantFrom(false, false, false, false, false, true),
  istiod: fc.constantFrom(
    'none',
    'none',
    'synced',
    'timeout',
    'syncing',
    'unlisted',
  ),
});

type Infer<A> = A extends fc.Arbitrary<infer T> ? T : never;
type GatewaySpec = Infer<typeof gatewayArb>;
type MemberSpec = Infer<typeof memberArb>;

function gatewayOf(
  spec: GatewaySpec,
  network: string,
  i: number,
): EastWestGateway {
  const lbAddresses =
    spec.type === 'LoadBalancer' && spec.lb !== 'none'
      ? [spec.lb === 'ip' ? `10.9.0.${i + 1}` : `gw${i}.example.com`]
      : [];
  const externalIPs = spec.externalIP ? [`203.0.113.${i + 1}`] : [];
  const mtlsPort = spec.portLabel === '443' ? 443 : 15443;
  const ports =
    spec.exposes === 'none'
      ? [{ name: 'status-port', port: 15021 }]
      : [
          {
            name: 'tls',
            port: spec.exposes === 'gateway-port' ? mtlsPort : 15443,
            targetPort: 15443,
            nodePort: 31443,
          },
        ];
  return {
    namespace: 'istio-system',
    name: `eastwest-${i}`,
    deployment: `eastwest-${i}`,
    ...(spec.label === 'none'
      ? {}
      : {
          network:
            spec.label === 'own'
              ? network
              : NETWORKS[(NETWORKS.indexOf(network) + 1) % NETWORKS.length],
        }),
    serviceType: spec.type,
    addresses: [...lbAddresses, ...externalIPs],
    externalIPs,
    ...(spec.type === 'NodePort' && spec.nodes !== 'no-annotation'
      ? {
          nodeSelector: {},
          selectedNodes:
            spec.nodes === 'none'
              ? []
              : [
                  spec.nodes === 'external'
                    ? { name: 'node-1', externalIP: '198.51.100.1' }
                    : { name: 'node-1', internalIP: '10.0.0.9' },
                ],
        }
      : {}),
    ...(spec.portLabel ? { gatewayPortLabel: spec.portLabel } : {}),
    ports,
    desiredReplicas: spec.desired,
    readyReplicas: Math.min(spec.ready, spec.desired),
    podLabels: { istio: 'eastwestgateway' },
  };
}

function memberData(name: string, spec: MemberSpec): ClusterMeshData {
  const data = healthyMemberData(
    { name, network: spec.network, region: 'region1', zone: 'zone1' },
    spec.secrets.filter(s => s !== name),
  );
  if (!spec.primary) data.controlPlanes = [];
  if (spec.controlPlaneClusters)
    data.controlPlaneClusters = spec.controlPlaneClusters;
  if (spec.declared !== 'namespace') delete data.systemNamespaceNetwork;
  if (spec.declared === 'none') delete data.meshConfigs[0].network;
  if (spec.resolvesHostnames === false && data.controlPlanes[0])
    data.controlPlanes[0].resolveHostnameGateways = false;
  if (spec.meshNetworksGateway) {
    data.meshConfigs[0].meshNetworks = {
      networks: [
        {
          name: spec.meshNetworksGateway,
          fromRegistries: [],
          fromCidrs: [],
          gateways: [{ address: '192.0.2.1', port: 15443 }],
        },
      ],
    };
  }
  data.eastWestGateways = spec.gateways.map((g, i) =>
    gatewayOf(g, spec.network, i),
  );
  data.gateways =
    spec.passthrough === 'none'
      ? []
      : [
          {
            namespace: 'istio-system',
            name: 'cross-network-gateway',
            selector: {
              istio:
                spec.passthrough === 'wrong-selector'
                  ? 'ingressgateway'
                  : 'eastwestgateway',
            },
            servers: [
              {
                port: spec.passthrough === '443' ? 443 : 15443,
                protocol: 'TLS',
                tlsMode: 'AUTO_PASSTHROUGH',
                hosts: ['*.local'],
              },
            ],
          },
        ];
  if (spec.roots.length === 0) delete data.rootCA;
  else
    data.rootCA = {
      fingerprint: spec.roots[0],
      roots: spec.roots.map(fingerprint => ({ fingerprint })),
      source: 'istio-system/istio-ca-root-cert',
    };
  data.partialErrors = spec.forbidden.map(resource => ({
    code: 'MESH092' as const,
    message: `forbidden: ${resource}`,
    resource,
  }));
  if (spec.forbidden.includes('secrets')) data.remoteSecrets = [];
  if (spec.forbidden.includes('services')) data.eastWestGateways = [];
  if (spec.forbidden.includes('gateways')) data.gateways = [];
  if (spec.forbidden.includes('namespaces')) delete data.systemNamespaceNetwork;
  if (spec.istiod !== 'none' && data.controlPlanes.length > 0) {
    const view = healthyIstiodView(
      name,
      data.remoteSecrets.map(r => r.cluster),
    );
    const [first] = view.remoteClusters!;
    if (first && spec.istiod === 'unlisted') view.remoteClusters!.shift();
    else if (first && spec.istiod !== 'synced') first.syncStatus = spec.istiod;
    data.istiod = [view];
  }
  // Only what reachability reads varies; the rest of the healthy fixture stays.
  data.services = [];
  data.workloads = [];
  data.destinationRules = [];
  return data;
}

const meshArb = fc
  .array(memberArb, { minLength: 1, maxLength: NAMES.length })
  .map(
    (specs): MeshSnapshot => ({
      schemaVersion: 3,
      generatedAt: NOW.toISOString(),
      managementCluster: 'global',
      clusters: specs.map((spec, i) => {
        const cluster = memberCluster(
          {
            name: NAMES[i],
            network: spec.network,
            region: 'region1',
            zone: 'zone1',
          },
          memberData(NAMES[i], spec),
        );
        if (!spec.neverRead) return cluster;
        // Configured, but never read: a member without data.
        const { data: _data, lastSyncedAt: _synced, ...unread } = cluster;
        return { ...unread, status: 'unreachable' as const };
      }),
    }),
  );

describe('reachability model and findings', () => {
  it('agree on random meshes', () => {
    fc.assert(
      fc.property(meshArb, snapshot => {
        const findings = analyzeMesh(snapshot, { now: NOW });
        const byId = new Map(findings.map(f => [f.id, f]));
        const matrix = meshReachability(snapshot);
        const members = snapshot.clusters.length;
        expect(matrix.pairs).toHaveLength(members * members);

        const cited = new Set<string>();
        for (const pair of matrix.pairs) {
          for (const aspect of [pair.discovered, pair.routable, pair.trusted]) {
            if (aspect.state !== 'no') continue;
            // Every "no" is explained ...
            expect(aspect.reasons.length).toBeGreaterThan(0);
            for (const reason of aspect.reasons) {
              // ... by a finding that fires, with that code.
              const finding = byId.get(reason.findingId);
              expect(finding?.code).toBe(reason.code);
              cited.add(reason.findingId);
            }
          }
          expect(pair.outcome === 'reachable').toBe(
            [pair.discovered, pair.routable, pair.trusted].every(
              a => a.state !== 'no',
            ),
          );
        }
        // Every reachability finding about members that fires as an error cuts some pair. (istiod's view of a
        // remote cluster that is not a member, MESH012/014 naming one cluster, is about a stale secret, MESH011.)
        const memberNames = new Set(snapshot.clusters.map(c => c.name));
        const aboutMembers = (f: (typeof findings)[number]) =>
          f.clusters.every(c => memberNames.has(c)) &&
          (!['MESH012', 'MESH014'].includes(f.code) || f.clusters.length === 2);
        const uncited = findings.filter(
          f =>
            f.severity === 'error' &&
            REACHABILITY_CODES.includes(f.code) &&
            aboutMembers(f) &&
            !cited.has(f.id),
        );
        expect(uncited).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
