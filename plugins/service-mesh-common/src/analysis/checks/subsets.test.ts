import fc from 'fast-check';
import { editAll, healthyMesh } from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

// Subsets filter the host's endpoints by labels, merged from every cluster (Istio endpoint_builder.go; docs:
// istio.io/latest/docs/reference/config/networking/destination-rule/#Subset).
const withSubsets = (versions: Record<string, string>) =>
  editAll(healthyMesh(), (d, c) => {
    (d.destinationRules[0].spec as any).subsets = [
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ];
    d.workloads[0].labels = {
      ...d.workloads[0].labels,
      version: versions[c.name] ?? 'v1',
    };
  });

describe('MESH054 subset without pods', () => {
  it('is silent when every cluster running the service has pods of every subset', () => {
    const snapshot = editAll(withSubsets({}), d => {
      d.workloads.push({
        ...d.workloads[0],
        name: 'product-service-v2',
        labels: { ...d.workloads[0].labels, version: 'v2' },
      });
    });
    expect(codesOf(snapshot)).toEqual([]);
  });

  it('warns when a subset selects no pod anywhere (503 for what is routed there)', () => {
    const [f] = firingFindings(withSubsets({}), 'MESH054');
    expect(f).toMatchObject({
      severity: 'warning',
      id: 'MESH054-cluster1-cluster2-cluster3-destinationrule-global-svc-product-service-v2',
      resource: { kind: 'DestinationRule', name: 'product-service' },
    });
    expect(f.message).toContain('Subset v2 (version=v2)');
    expect(f.message).toContain('503');
  });

  it('is info when other clusters serve the subset', () => {
    const findings = findingsOf(
      withSubsets({ cluster1: 'v2', cluster2: 'v1', cluster3: 'v1' }),
      'MESH054',
    );
    expect(findings.map(f => [f.severity, f.message])).toEqual([
      [
        'info',
        expect.stringContaining(
          'selects pods in cluster2 and cluster3 only, not in cluster1',
        ),
      ],
      [
        'info',
        expect.stringContaining(
          'selects pods in cluster1 only, not in cluster2 and cluster3',
        ),
      ],
    ]);
  });

  it('property: fires exactly when some cluster running the service has no pod of a subset', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.constantFrom('v1', 'v2'),
          fc.constantFrom('v1', 'v2'),
          fc.constantFrom('v1', 'v2'),
        ),
        ([a, b, c]) => {
          const f = findingsOf(
            withSubsets({ cluster1: a, cluster2: b, cluster3: c }),
            'MESH054',
          );
          // Each cluster runs one version, so a subset misses wherever that cluster runs the other one.
          const expected = ['v1', 'v2'].filter(v =>
            [a, b, c].some(x => x !== v),
          );
          expect(
            f.map(
              x =>
                x.id.endsWith(`-${expected[0]}`) ||
                x.id.endsWith(`-${expected[1]}`),
            ),
          ).toEqual(expected.map(() => true));
        },
      ),
    );
  });
});
