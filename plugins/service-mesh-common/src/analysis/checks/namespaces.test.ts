import {
  edit,
  healthyMesh,
  meshNamespace,
  workload,
} from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';
import type { ClusterMeshData, UninjectedPods } from '../../types/snapshot';

describe('MESH060 conflicting injection labels', () => {
  it('warns when istio-injection=enabled and istio.io/rev are both set', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces[1].labels['istio-injection'] = 'enabled';
    });
    const [f] = firingFindings(snapshot, 'MESH060');
    expect(f.hint).toContain(
      'kubectl label namespace global-svc istio-injection- --context=cluster1',
    );
  });

  it('does not fire for istio-injection=disabled with istio.io/rev (IST0123 semantics)', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces.push({
        name: 'tools',
        labels: { 'istio-injection': 'disabled', 'istio.io/rev': '1-22' },
        onboarded: false,
      });
    });
    expect(findingsOf(snapshot, 'MESH060')).toEqual([]);
  });
});

describe('MESH061 missing revision', () => {
  it('errors when istio.io/rev names a revision the cluster does not run', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.namespaces.push({
        ...meshNamespace('legacy', '1-21'),
        onboarded: true,
      });
    });
    const [f] = firingFindings(snapshot, 'MESH061');
    expect(f).toMatchObject({
      severity: 'error',
      clusters: ['cluster2'],
      resource: { kind: 'Namespace', name: 'legacy' },
    });
    expect(f.message).toBe(
      'Namespace legacy in cluster2 has istio.io/rev=1-21, but no revision tag 1-21 exists and cluster2 runs istiod revision 1-22 only: new pods get no sidecar.',
    );
    expect(f.hint).toContain(
      'kubectl label namespace legacy istio.io/rev=1-22 --overwrite --context=cluster2',
    );
  });

  // Failed before tags were collected: `prod` was reported as an unknown revision (issue 19).
  it('does not fire for a revision tag that points at a running revision (istioctl tag set prod --revision 1-22)', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.revisionTags = [
        { tag: 'prod', revision: '1-22', webhook: 'istio-revision-tag-prod' },
      ];
      d.namespaces[1].labels['istio.io/rev'] = 'prod';
      d.namespaces[1].revision = 'prod';
    });
    expect(codesOf(snapshot)).toEqual([]);
  });

  it('errors for a tag whose revision does not run, with the istioctl fix', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.revisionTags = [
        { tag: 'prod', revision: '1-21', webhook: 'istio-revision-tag-prod' },
      ];
      d.namespaces[1].labels['istio.io/rev'] = 'prod';
    });
    const [f] = firingFindings(snapshot, 'MESH061');
    expect(f.message).toContain(
      'has istio.io/rev=prod, but revision tag prod (webhook istio-revision-tag-prod) points at revision 1-21, but cluster2 runs istiod revision 1-22 only',
    );
    expect(f.hint).toContain(
      'istioctl tag set prod --revision 1-22 --overwrite --context=cluster2',
    );
  });

  // Failed before: `default` was accepted as "may be a tag" without looking.
  it('errors for istio-injection=enabled when no default revision or default tag exists', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.namespaces.push({
        name: 'legacy',
        labels: { 'istio-injection': 'enabled' },
        onboarded: true,
        revision: 'default',
      });
    });
    const [f] = firingFindings(snapshot, 'MESH061');
    expect(f.message).toContain(
      'has istio-injection=enabled (the default revision), but no revision tag default exists',
    );
    expect(f.hint).toContain(
      'istioctl tag set default --revision 1-22 --context=cluster2',
    );
  });

  it('does not fire for an existing revision or the default tag', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.namespaces[1].labels['istio.io/rev'] = 'default';
      d.revisionTags = [
        {
          tag: 'default',
          revision: '1-22',
          webhook: 'istio-revision-tag-default',
        },
      ];
    });
    expect(findingsOf(snapshot, 'MESH061')).toEqual([]);
  });

  it('is skipped (MESH098) where the tag webhooks could not be read', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.namespaces[1].labels['istio.io/rev'] = 'prod';
      d.partialErrors = [
        {
          code: 'MESH092',
          message: 'Access denied',
          resource:
            'mutatingwebhookconfigurations.admissionregistration.k8s.io',
          rbacRule: 'x',
        },
      ];
    });
    expect(findingsOf(snapshot, 'MESH061')).toEqual([]);
    expect(findingsOf(snapshot, 'MESH098')[0].message).toContain(
      'revisions (MESH061)',
    );
  });
});

describe('MESH062 namespace onboarded in some clusters only', () => {
  it('warns naming where it is missing, with the labels used elsewhere', () => {
    let snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces.push(meshNamespace('payments'));
    });
    snapshot = edit(snapshot, 'cluster2', d => {
      d.namespaces.push(meshNamespace('payments'));
    });
    snapshot = edit(snapshot, 'cluster3', d => {
      d.namespaces.push({ name: 'payments', labels: {}, onboarded: false });
    });
    const [f] = firingFindings(snapshot, 'MESH062');
    expect(f).toMatchObject({
      id: 'MESH062-cluster3-namespace-payments',
      clusters: ['cluster3'],
    });
    expect(f.message).toContain(
      'onboarded in cluster1 and cluster2 but not in cluster3 (exists without mesh labels)',
    );
    expect(f.hint).toBe(
      'kubectl label namespace payments cpaas.io/serviceMesh=enabled istio.io/rev=1-22 --context=cluster3',
    );
    expect(codesOf(snapshot)).toEqual(['MESH062']);
  });

  it('suggests creating the namespace when it is absent', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces.push(meshNamespace('payments'));
    });
    expect(findingsOf(snapshot, 'MESH062')[0].hint).toContain(
      'kubectl create namespace payments --context=cluster2',
    );
  });

  it('does not fire when onboarded everywhere (with different label styles)', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.namespaces[1] = {
        name: 'global-svc',
        labels: { 'istio.io/rev': '1-22' },
        onboarded: true,
      };
    });
    expect(findingsOf(snapshot, 'MESH062')).toEqual([]);
  });
});

/** One product-service pod of cluster2 runs without a sidecar, with these injector-relevant facts. */
function oneWithout(
  facts: Partial<UninjectedPods> = {},
  change: (d: ClusterMeshData) => void = () => {},
) {
  return edit(healthyMesh(), 'cluster2', d => {
    d.workloads[0].podsWithSidecar = 1;
    d.workloads[0].uninjected = [
      {
        pods: 1,
        hostNetwork: false,
        labels: { app: 'product-service' },
        ...facts,
      },
    ];
    change(d);
  });
}

describe('MESH063 pods without sidecar', () => {
  it('warns about pods without sidecar in an onboarded namespace', () => {
    const snapshot = oneWithout();
    const [f] = firingFindings(snapshot, 'MESH063');
    expect(f.message).toContain(
      '1 of 2 pods of Deployment global-svc/product-service in cluster2 runs without',
    );
    expect(f.hint).toContain(
      'kubectl -n global-svc rollout restart deployment/product-service --context=cluster2',
    );
    expect(codesOf(snapshot)).toEqual(['MESH063']);
  });

  it('does not count pods opted out with sidecar.istio.io/inject=false, nor namespaces outside the mesh', () => {
    let snapshot = oneWithout({ injectLabel: 'false' });
    snapshot = edit(snapshot, 'cluster1', d => {
      d.workloads.push(workload('kube-system', 'coredns', 2, 0));
    });
    expect(findingsOf(snapshot, 'MESH063')).toEqual([]);
  });

  // The cases below follow pkg/kube/inject/inject.go injectRequired. The first failed before this change
  // (hostNetwork pods were counted, issue 19).
  it('does not count hostNetwork pods: the injector skips them', () => {
    expect(findingsOf(oneWithout({ hostNetwork: true }), 'MESH063')).toEqual(
      [],
    );
  });

  it('reads the annotation when there is no label, and lets the label win over it', () => {
    expect(
      findingsOf(oneWithout({ injectAnnotation: 'false' }), 'MESH063'),
    ).toEqual([]);
    expect(
      findingsOf(
        oneWithout({ injectLabel: 'true', injectAnnotation: 'false' }),
        'MESH063',
      ),
    ).toHaveLength(1);
    // An invalid value falls back to the default policy (enabled): still missing.
    expect(
      findingsOf(oneWithout({ injectLabel: 'no' }), 'MESH063'),
    ).toHaveLength(1);
  });

  it("follows the revision's neverInjectSelector and alwaysInjectSelector, and its policy", () => {
    const injector =
      (
        policy: string,
        never: UninjectedPods['labels'][] = [],
        always: UninjectedPods['labels'][] = [],
      ) =>
      (d: ClusterMeshData) => {
        d.injectors = [
          {
            revision: '1-22',
            configMap: 'istio-sidecar-injector-1-22',
            policy,
            neverInjectSelector: never.map(matchLabels => ({ matchLabels })),
            alwaysInjectSelector: always.map(matchLabels => ({ matchLabels })),
          },
        ];
      };
    const app = { app: 'product-service' };
    expect(
      findingsOf(oneWithout({}, injector('enabled', [app])), 'MESH063'),
    ).toEqual([]);
    expect(findingsOf(oneWithout({}, injector('disabled')), 'MESH063')).toEqual(
      [],
    );
    expect(
      findingsOf(oneWithout({}, injector('disabled', [], [app])), 'MESH063'),
    ).toHaveLength(1);
    // neverInjectSelector first; an explicit sidecar.istio.io/inject=true wins over both.
    expect(
      findingsOf(oneWithout({}, injector('enabled', [app], [app])), 'MESH063'),
    ).toEqual([]);
    expect(
      findingsOf(
        oneWithout({ injectLabel: 'true' }, injector('disabled', [app])),
        'MESH063',
      ),
    ).toHaveLength(1);
    // The config of another revision does not apply.
    expect(
      findingsOf(
        oneWithout({}, d => {
          injector('disabled')(d);
          d.injectors[0].revision = '1-23';
        }),
        'MESH063',
      ),
    ).toHaveLength(1);
  });

  it('skips the namespaces the injector ignores even when they carry the mesh labels', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces.push(meshNamespace('kube-node-lease'));
      d.workloads.push(workload('kube-node-lease', 'lease-holder', 1, 0));
    });
    expect(findingsOf(snapshot, 'MESH063')).toEqual([]);
  });
});
