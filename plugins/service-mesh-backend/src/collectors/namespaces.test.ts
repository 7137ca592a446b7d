import { namespace } from '../__testUtils__/objects';
import { mapNamespaces } from './namespaces';
import { MappingContext } from './objects';

describe('mapNamespaces', () => {
  it('marks onboarded namespaces and reads the istio-system network', () => {
    const ctx = new MappingContext();
    const { namespaces, systemNamespaceNetwork } = mapNamespaces(
      [
        namespace('istio-system', { 'topology.istio.io/network': 'network1' }),
        namespace('demo', {
          'cpaas.io/serviceMesh': 'enabled',
          'istio.io/rev': '1-22',
        }),
        namespace('legacy', { 'istio-injection': 'enabled' }),
        namespace('plain'),
        { metadata: { name: 'broken', labels: { a: 1 } } },
      ],
      ctx,
    );
    expect(systemNamespaceNetwork).toBe('network1');
    expect(namespaces.map(n => [n.name, n.onboarded, n.revision])).toEqual([
      ['istio-system', false, undefined],
      ['demo', true, '1-22'],
      ['legacy', true, 'default'],
      ['plain', false, undefined],
    ]);
    expect(ctx.malformedObjects).toEqual([
      {
        kind: 'Namespace',
        name: 'broken',
        reason: 'metadata.labels.a is not a string',
      },
    ]);
  });

  it("keeps Istio's traffic-distribution annotation, which the namespace's Services inherit", () => {
    const ns = namespace('demo');
    (ns.metadata as Record<string, unknown>).annotations = {
      'networking.istio.io/traffic-distribution': 'PreferClose',
    };
    const { namespaces } = mapNamespaces(
      [ns, namespace('plain')],
      new MappingContext(),
    );
    expect(namespaces[0].trafficDistribution).toBe('PreferClose');
    expect(namespaces[1]).not.toHaveProperty('trafficDistribution');
  });

  it("reads a remote cluster's config clusters from istio-system's topology.istio.io/controlPlaneClusters", () => {
    const ns = namespace('istio-system');
    (ns.metadata as Record<string, unknown>).annotations = {
      'topology.istio.io/controlPlaneClusters': 'cluster1, cluster2',
    };
    expect(
      mapNamespaces([ns], new MappingContext()).controlPlaneClusters,
    ).toEqual(['cluster1', 'cluster2']);
    expect(
      mapNamespaces([namespace('istio-system')], new MappingContext())
        .controlPlaneClusters,
    ).toBeUndefined();
  });
});
