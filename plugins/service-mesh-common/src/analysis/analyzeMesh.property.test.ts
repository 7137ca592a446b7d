import fc from 'fast-check';
import { ALL_FINDING_CODES } from '../findings/registry';
import { healthyMesh, NOW } from '../__testUtils__/fixtures';
import { analyzeMesh, MESH_CHECKS } from './analyzeMesh';
import { buildContext } from './context';
import { findingsForEntity } from './entityFindings';
import { compareFindings } from './finding';
import { parseSnapshot } from '../types/snapshot';
import { buildSimulationInput, selectTrafficPolicy } from './simulationInput';
import { effectiveMtlsMode } from './peerAuthentication';

const any = fc.anything({
  withNullPrototype: true,
  withBoxedValues: true,
  withSparseArray: true,
}) as fc.Arbitrary<any>;
/** Usually a plausible value, sometimes anything at all. */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<any> =>
  fc.oneof(
    { weight: 8, arbitrary: arb },
    { weight: 1, arbitrary: any },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const name = fc.constantFrom('cluster1', 'cluster2', 'cluster3', 'global');
const ns = fc.constantFrom('istio-system', 'global-svc', 'payments');
const region = fc.constantFrom('r1', 'r2', 'us-east-1');
const zone = fc.constantFrom('a', 'b');
const labels = maybe(
  fc.dictionary(
    fc.constantFrom(
      'istio.io/rev',
      'istio-injection',
      'cpaas.io/serviceMesh',
      'app',
    ),
    fc.constantFrom(
      '1-22',
      '1-21',
      'enabled',
      'disabled',
      'default',
      'product',
    ),
  ),
);
const locality = maybe(fc.record({ region, zone }));
const count = maybe(fc.integer({ min: -1, max: 4 }));
const policySpec = maybe(
  fc.record({
    host: fc.constantFrom(
      '*.cluster.local',
      'product',
      'product.global-svc.svc.cluster.local',
    ),
    mtls: maybe(
      fc.record({
        mode: fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'),
      }),
    ),
    selector: maybe(fc.record({ matchLabels: labels })),
    trafficPolicy: maybe(
      fc.record({
        tls: maybe(
          fc.record({
            mode: fc.constantFrom('ISTIO_MUTUAL', 'DISABLE', 'SIMPLE'),
          }),
        ),
        loadBalancer: maybe(
          fc.record({
            localityLbSetting: maybe(
              fc.record({
                enabled: maybe(fc.boolean()),
                distribute: maybe(
                  fc.array(
                    maybe(
                      fc.record({
                        from: maybe(fc.constantFrom('r1/*', '*')),
                        to: maybe(
                          fc.dictionary(
                            fc.constantFrom('r1/*', 'r2/*', 'x/y'),
                            maybe(fc.integer({ min: -5, max: 120 })),
                          ),
                        ),
                      }),
                    ),
                  ),
                ),
                failover: maybe(
                  fc.array(maybe(fc.record({ from: region, to: region }))),
                ),
                failoverPriority: maybe(
                  fc.array(
                    fc.constantFrom(
                      'topology.istio.io/network',
                      'topology.kubernetes.io/region',
                    ),
                  ),
                ),
              }),
            ),
          }),
        ),
        outlierDetection: maybe(
          fc.record({
            maxEjectionPercent: maybe(fc.integer({ min: 0, max: 100 })),
          }),
        ),
        portLevelSettings: maybe(
          fc.array(
            maybe(
              fc.record({ port: maybe(fc.record({ number: fc.integer() })) }),
            ),
          ),
        ),
      }),
    ),
    subsets: maybe(
      fc.array(maybe(fc.record({ name: fc.string(), trafficPolicy: any }))),
    ),
  }),
);
const policy = maybe(
  fc.record({
    namespace: maybe(ns),
    name: maybe(fc.constantFrom('default', 'product', 'global')),
    spec: policySpec,
  }),
);

const dataArb = fc.record(
  {
    serviceMeshes: maybe(
      fc.array(
        maybe(
          fc.record({
            name,
            namespace: ns,
            cluster: maybe(name),
            phase: maybe(fc.constantFrom('Deployed', 'Failed', 'Deploying')),
            version: maybe(fc.constantFrom('v1', 'v2')),
            desiredVersion: maybe(fc.constantFrom('v1', 'v2')),
            spec: any,
          }),
        ),
      ),
    ),
    controlPlanes: maybe(
      fc.array(
        maybe(
          fc.record({
            revision: maybe(fc.constantFrom('1-22', 'default')),
            namespace: ns,
            deployment: fc.string(),
            version: maybe(fc.constantFrom('1.22.4', 'v1.23.0+x')),
            desiredReplicas: count,
            readyReplicas: count,
            clusterId: maybe(name),
          }),
        ),
      ),
    ),
    meshConfigs: maybe(
      fc.array(
        maybe(
          fc.record({
            revision: fc.string(),
            meshId: maybe(fc.constantFrom('m1', 'm2')),
            trustDomain: maybe(fc.constantFrom('cluster.local', 'x')),
            network: maybe(fc.constantFrom('n1', 'n2')),
            localityLbEnabled: maybe(fc.boolean()),
          }),
        ),
      ),
    ),
    systemNamespaceNetwork: maybe(fc.constantFrom('n1', 'n2')),
    eastWestGateways: maybe(
      fc.array(
        maybe(
          fc.record({
            namespace: ns,
            name: fc.constantFrom('istio-eastwestgateway', ''),
            network: maybe(fc.constantFrom('n1', 'n2')),
            addresses: maybe(fc.array(fc.string(), { maxLength: 2 })),
            ports: maybe(
              fc.array(
                maybe(
                  fc.record({
                    port: maybe(fc.constantFrom(15443, 15021, 'x')),
                  }),
                ),
              ),
            ),
            desiredReplicas: count,
            readyReplicas: count,
            podLabels: labels,
          }),
        ),
      ),
    ),
    gateways: maybe(
      fc.array(
        maybe(
          fc.record({
            namespace: ns,
            name: fc.string(),
            selector: labels,
            servers: maybe(
              fc.array(
                maybe(
                  fc.record({
                    port: maybe(fc.constantFrom(15443, 80)),
                    tlsMode: maybe(
                      fc.constantFrom('AUTO_PASSTHROUGH', 'SIMPLE'),
                    ),
                    hosts: any,
                  }),
                ),
              ),
            ),
          }),
        ),
      ),
    ),
    remoteSecrets: maybe(
      fc.array(
        maybe(
          fc.record({ namespace: ns, name: fc.string(), cluster: maybe(name) }),
        ),
      ),
    ),
    rootCA: maybe(
      fc.record({
        fingerprint: maybe(fc.constantFrom('AA:BB', 'CC:DD')),
        notAfter: maybe(
          fc.constantFrom('2026-06-10T00:00:00Z', 'garbage', '2020-01-01'),
        ),
        source: fc.string(),
      }),
    ),
    nodes: maybe(
      fc.record({
        total: count,
        byLocality: maybe(
          fc.array(maybe(fc.record({ region, zone, nodes: count }))),
        ),
        unlabelled: maybe(fc.array(fc.string(), { maxLength: 3 })),
        unlabelledCount: count,
      }),
    ),
    namespaces: maybe(
      fc.array(
        maybe(
          fc.record({
            name: maybe(ns),
            labels,
            onboarded: maybe(fc.boolean()),
            revision: maybe(fc.constantFrom('1-22', '1-21')),
          }),
        ),
      ),
    ),
    services: maybe(
      fc.array(
        maybe(
          fc.record({
            namespace: maybe(ns),
            name: maybe(fc.constantFrom('product', 'cart')),
            labels,
            selector: labels,
            ports: maybe(
              fc.array(
                maybe(
                  fc.record({
                    port: maybe(fc.constantFrom(80, 8080)),
                    name: maybe(fc.constantFrom('http', 'grpc')),
                    protocol: maybe(fc.constantFrom('TCP', 'UDP')),
                  }),
                ),
              ),
            ),
            headless: maybe(fc.boolean()),
            endpoints: maybe(
              fc.array(
                maybe(fc.record({ locality, ready: count, notReady: count })),
              ),
            ),
          }),
        ),
      ),
    ),
    workloads: maybe(
      fc.array(
        maybe(
          fc.record({
            namespace: maybe(ns),
            name: maybe(fc.constantFrom('product', 'cart')),
            kind: maybe(fc.constantFrom('Deployment', 'Pod')),
            labels,
            pods: count,
            readyPods: count,
            podsWithSidecar: count,
            podsOptedOut: count,
            localities: maybe(
              fc.array(maybe(fc.record({ region, zone, pods: count }))),
            ),
          }),
        ),
      ),
    ),
    destinationRules: maybe(fc.array(policy, { maxLength: 3 })),
    virtualServices: maybe(fc.array(policy, { maxLength: 2 })),
    peerAuthentications: maybe(fc.array(policy, { maxLength: 3 })),
    partialErrors: maybe(
      fc.array(
        maybe(
          fc.record({
            code: maybe(
              fc.constantFrom('MESH090', 'MESH091', 'MESH092', 'MESH999'),
            ),
            message: maybe(fc.string()),
            resource: maybe(
              fc.constantFrom(
                'services',
                'destinationrules.networking.istio.io',
                'a/b/c',
              ),
            ),
          }),
        ),
      ),
    ),
  },
  { requiredKeys: [] },
);

const snapshotArb: fc.Arbitrary<any> = maybe(
  fc.record({
    schemaVersion: maybe(fc.constant(1)),
    generatedAt: maybe(fc.string()),
    managementCluster: maybe(name),
    clusters: maybe(
      fc.array(
        maybe(
          fc.record({
            name: maybe(name),
            role: maybe(fc.constantFrom('member', 'management')),
            status: maybe(
              fc.constantFrom(
                'ok',
                'stale',
                'unreachable',
                'unauthorized',
                'error',
              ),
            ),
            error: maybe(
              fc.record({
                code: maybe(fc.constantFrom('MESH090', 'MESH091', 'MESH092')),
                message: maybe(fc.string()),
              }),
            ),
            network: maybe(fc.constantFrom('n1', 'n2')),
            data: maybe(dataArb),
          }),
        ),
        { maxLength: 5 },
      ),
    ),
  }),
);

describe('analysis on random and malformed snapshots', () => {
  it('every check runs without throwing (unguarded) on parsed random snapshots', () => {
    fc.assert(
      fc.property(snapshotArb, raw => {
        const ctx = buildContext(parseSnapshot(raw), { now: NOW });
        for (const check of MESH_CHECKS)
          expect(() => check.run(ctx)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('analyzeMesh returns sorted, unique, known findings deterministically, and never MESH080/081', () => {
    fc.assert(
      fc.property(snapshotArb, raw => {
        const findings = analyzeMesh(raw, { now: NOW });
        expect(analyzeMesh(raw, { now: NOW })).toEqual(findings);
        expect(new Set(findings.map(f => f.id)).size).toBe(findings.length);
        for (let i = 1; i < findings.length; i++) {
          expect(
            compareFindings(findings[i - 1], findings[i]),
          ).toBeLessThanOrEqual(0);
        }
        for (const f of findings) {
          expect(ALL_FINDING_CODES).toContain(f.code);
          expect(['MESH080', 'MESH081']).not.toContain(f.code);
          expect(f.id).toMatch(/^MESH\d{3}(-[a-z0-9-]+)?$/);
          expect(typeof f.message).toBe('string');
          expect(typeof f.hint).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the other exported analysis functions never throw either', () => {
    fc.assert(
      fc.property(snapshotArb, any, any, (raw, service, scope) => {
        const findings = analyzeMesh(raw);
        findingsForEntity(findings, scope);
        findingsForEntity(any as any, scope);
        const svc = { namespace: 'global-svc', name: 'product' };
        buildSimulationInput(raw, svc);
        buildSimulationInput(raw, service, 'cluster1');
        const data =
          parseSnapshot(raw).clusters[0]?.data ?? raw?.clusters?.[0]?.data;
        selectTrafficPolicy(data, svc);
        expect(
          typeof effectiveMtlsMode(data, 'global-svc', { app: 'product' }),
        ).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('survives anything at all', () => {
    fc.assert(
      fc.property(any, raw => {
        expect(Array.isArray(analyzeMesh(raw))).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(analyzeMesh(undefined as any)).toEqual([]);
    expect(
      analyzeMesh({
        clusters: [
          {
            name: 'x',
            status: 'unreachable',
            data: { services: 'nope', nodes: [] },
          },
        ],
      } as any),
    ).toEqual([expect.objectContaining({ code: 'MESH090' })]);
  });

  it('still analyses the healthy parts when one cluster is garbage', () => {
    const snapshot = healthyMesh() as any;
    snapshot.clusters[2].data = {
      namespaces: 42,
      services: [null, 'x'],
      controlPlanes: {},
    };
    expect(() => analyzeMesh(snapshot)).not.toThrow();
  });
});
