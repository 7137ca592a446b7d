import { edit, healthyMesh } from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';
import { staleRow, withIstiod } from '../../__testUtils__/istiodFixtures';
import { analyzeMesh } from '../analyzeMesh';
import { NOW } from '../../__testUtils__/fixtures';

const healthy = () => withIstiod(healthyMesh());

it('is silent on a healthy mesh whose istiods report everything synced', () => {
  expect(codesOf(healthy())).toEqual([]);
});

describe('MESH012 remote cluster not synced', () => {
  it("errors with istiod's own status when a remote with a secret timed out", () => {
    const snapshot = edit(healthy(), 'cluster1', d => {
      d.istiod![0].remoteClusters!.find(r => r.id === 'cluster2')!.syncStatus =
        'timeout';
    });
    const [f] = firingFindings(snapshot, 'MESH012');
    expect(f).toMatchObject({
      severity: 'error',
      clusters: ['cluster1', 'cluster2'],
      resource: {
        kind: 'Secret',
        namespace: 'istio-system',
        name: 'istio-remote-secret-cluster2',
      },
    });
    expect(f.message).toContain('as "timeout"');
    expect(f.hint).toContain(
      'istioctl create-remote-secret --context=cluster2 --name=cluster2',
    );
    expect(codesOf(snapshot)).toEqual(['MESH012']);
  });

  it('warns while a remote is still syncing', () => {
    const snapshot = edit(healthy(), 'cluster2', d => {
      d.istiod![0].remoteClusters![0].syncStatus = 'syncing';
    });
    expect(firingFindings(snapshot, 'MESH012').map(f => f.severity)).toEqual([
      'warning',
    ]);
  });
});

describe('MESH013 / MESH014 istiod and the secrets disagree', () => {
  it('reports a remote istiod reads that no secret explains', () => {
    const snapshot = edit(healthy(), 'cluster1', d => {
      d.istiod![0].remoteClusters!.push({
        id: 'old-cluster',
        secretName: 'istio-system/istio-remote-secret-old',
        syncStatus: 'timeout',
      });
    });
    const findings = firingFindings(snapshot, 'MESH013');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('"old-cluster"');
    // not double-reported as MESH012: the secret is gone
    expect(codesOf(snapshot)).toEqual(['MESH013']);
  });

  it('reports a secret istiod does not list (a data key istiod ignored)', () => {
    const snapshot = edit(healthy(), 'cluster2', d => {
      d.istiod![0].remoteClusters = d.istiod![0].remoteClusters!.filter(
        r => r.id !== 'cluster1',
      );
    });
    const [f] = firingFindings(snapshot, 'MESH014');
    expect(f).toMatchObject({
      clusters: ['cluster1', 'cluster2'],
      resource: { name: 'istio-remote-secret-cluster1' },
    });
    expect(codesOf(snapshot)).toEqual(['MESH014']);
  });

  it('does not compare with secrets the plugin could not read', () => {
    const snapshot = edit(healthy(), 'cluster1', d => {
      d.remoteSecrets = [];
      d.partialErrors.push({
        code: 'MESH092',
        message: 'denied',
        resource: 'secrets',
      });
    });
    expect(findingsOf(snapshot, 'MESH013')).toEqual([]);
    expect(findingsOf(snapshot, 'MESH014')).toEqual([]);
  });
});

describe('MESH015 / MESH016 proxy sync', () => {
  const withRows = (rows: ReturnType<typeof staleRow>[], total = rows.length) =>
    edit(healthy(), 'cluster1', d => {
      const p = d.istiod![0].proxies!;
      p.rows = rows;
      p.rowsTotal = total;
      p.synced = p.total - total;
    });

  it("reports proxies STALE or NOT SENT longer than the threshold, by namespace, with counts, from istiod's clock", () => {
    const snapshot = withRows([
      staleRow('web-1', 'shop', 12),
      staleRow('web-2', 'shop', 7, 'NOT SENT'),
      staleRow('web-3', 'shop', 2), // younger than 5 minutes: not yet
      staleRow('pay-1', 'payments', 30),
    ]);
    const findings = firingFindings(snapshot, 'MESH015');
    expect(findings.map(f => f.resource?.name).sort()).toEqual([
      'payments',
      'shop',
    ]);
    const shop = findings.find(f => f.resource?.name === 'shop')!;
    expect(shop.message).toMatch(
      /^2 proxies in shop .* more than 5 min \(the oldest for 12 min/,
    );
    expect(shop.message).toContain('web-1 and web-2');
    // a longer threshold
    expect(
      analyzeMesh(snapshot, { now: NOW, staleProxyMinutes: 20 }).filter(
        f => f.code === 'MESH015',
      ),
    ).toHaveLength(1);
  });

  it('measures ages at the syncz read, not at the refresh, when the result is kept between reads', () => {
    // a result read 4 min before the refresh, without istiod's Date header: web-3 was stale 2 min at the read
    const readAt = new Date(NOW.getTime() - 4 * 60_000).toISOString();
    const rows = [staleRow('web-3', 'shop', 6)];
    const kept = edit(withRows(rows), 'cluster1', d => {
      delete d.istiod![0].observedAt;
      d.istiod![0].proxiesReadAt = readAt;
    });
    expect(findingsOf(kept, 'MESH015')).toEqual([]);
    // the same row measured at the refresh (no read time at all) would be 6 min: fires
    const unknown = edit(kept, 'cluster1', d => {
      delete d.istiod![0].proxiesReadAt;
    });
    expect(firingFindings(unknown, 'MESH015')).toHaveLength(1);
  });

  it('says "at least" when istiod reported more problem proxies than the rows kept', () => {
    const [f] = firingFindings(
      withRows([staleRow('web-1', 'shop', 12)], 40),
      'MESH015',
    );
    expect(f.message).toMatch(/^At least 1 proxy/);
  });

  it("reports rejected configuration (ERROR) with Envoy's message, whatever its age", () => {
    const [f] = firingFindings(
      withRows([staleRow('web-1', 'shop', 1, 'ERROR')]),
      'MESH016',
    );
    expect(f.message).toContain('Proto constraint validation failed');
    expect(f.severity).toBe('error');
  });
});

describe('MESH005 / MESH006 data-plane versions', () => {
  it('warns for proxies two minors behind, or ahead of, their istiod; one minor behind is supported', () => {
    const snapshot = edit(healthy(), 'cluster1', d => {
      d.istiod![0].proxies!.versions = [
        { version: '1.22.4', proxies: 5 },
        { version: '1.21.2', proxies: 3 },
        { version: '1.20.1', proxies: 1 },
        { version: '1.23.0', proxies: 1 },
      ];
    });
    const [f] = firingFindings(snapshot, 'MESH005');
    expect(f.message).toMatch(/^2 proxies connected to istiod 1\.22\.4/);
    expect(f.message).toContain('1.20.1 (1) and 1.23.0 (1)');
    expect(f.message).not.toContain('1.21.2');
  });

  it('notes clusters whose proxies run different versions', () => {
    const snapshot = edit(healthy(), 'cluster2', d => {
      d.istiod![0].proxies!.versions = [{ version: '1.22.3', proxies: 10 }];
    });
    const [f] = firingFindings(snapshot, 'MESH006');
    expect(f.severity).toBe('info');
    expect(f.message).toContain('1.22.3');
    expect(findingsOf(snapshot, 'MESH005')).toEqual([]);
  });
});

describe('MESH007 cluster IDs', () => {
  it('errors when two clusters report the same CLUSTER_ID', () => {
    const snapshot = edit(healthy(), 'cluster2', d => {
      d.istiod![0].clusterId = 'cluster1';
      d.controlPlanes[0].clusterId = 'cluster1';
    });
    const f = firingFindings(snapshot, 'MESH007');
    expect(f.map(x => x.clusters)).toEqual([['cluster1', 'cluster2']]);
  });

  it('errors for the default Kubernetes ID in a multi-cluster mesh', () => {
    const snapshot = edit(healthy(), 'cluster2', d => {
      d.istiod![0].clusterId = 'Kubernetes';
      d.controlPlanes[0].clusterId = 'Kubernetes';
    });
    const [f] = firingFindings(snapshot, 'MESH007');
    expect(f.message).toContain('default CLUSTER_ID "Kubernetes"');
  });
});

describe('MESH093 istiod view not readable', () => {
  it.each([
    ['forbidden', 'warning', /pods\/portforward/],
    ['disabled', 'info', /ENABLE_DEBUG_ON_HTTP=true/],
    ['unauthenticated', 'info', /port-forward|istioctl remote-clusters/],
    ['unreachable', 'warning', /port-forward pod\/.* 15014/],
  ] as const)('reports %s as %s with a fix', (status, severity, hint) => {
    const snapshot = edit(healthy(), 'cluster1', d => {
      const v = d.istiod![0];
      d.istiod = [
        {
          revision: v.revision,
          namespace: v.namespace,
          pod: v.pod,
          status,
          error: 'why',
          ...(status === 'forbidden'
            ? {
                rbacRule:
                  'apiGroups: [""], resources: ["pods/portforward"], verbs: ["create", "get"]',
              }
            : {}),
        },
      ];
    });
    const [f] = firingFindings(snapshot, 'MESH093');
    expect(f.severity).toBe(severity);
    expect(f.hint).toMatch(hint);
    // nothing else: an unreadable view is not evidence of a problem in the mesh
    expect(codesOf(snapshot)).toEqual(['MESH093']);
  });
});
