import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createOnboardNamespaceAction } from './onboardNamespace';
import {
  FakeCluster,
  fakeClusters,
  status,
  unreachable,
} from './__testUtils__/FakeCluster';
import { ClusterResult } from './types';

const ALAUDA = { 'cpaas.io/serviceMesh': 'enabled', 'istio.io/rev': '1-22' };

function setup(options: { clusters?: FakeCluster[]; allow?: boolean } = {}) {
  const clusters = options.clusters ?? [
    new FakeCluster('cluster1'),
    new FakeCluster('cluster2'),
    new FakeCluster('cluster3'),
  ];
  const authorize = jest.fn(async () => [
    {
      result:
        options.allow === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    },
  ]);
  const action = createOnboardNamespaceAction({
    config: new ConfigReader({}),
    permissions: mockServices.permissions.mock({ authorize: authorize as any }),
    clusters: fakeClusters(...clusters),
  });
  const [c1, c2, c3] = clusters;
  return { action, clusters, c1, c2, c3, authorize };
}

function context(
  input: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const ctx = createMockActionContext({ input: input as any });
  return { ...ctx, ...extra } as typeof ctx;
}

function outputs(ctx: ReturnType<typeof context>) {
  const calls = (ctx.output as jest.Mock).mock.calls as [string, unknown][];
  return Object.fromEntries(calls) as {
    results: ClusterResult[];
    summary: string;
  };
}

const allWrites = (clusters: FakeCluster[]) => clusters.flatMap(c => c.writes);

describe('service-mesh:namespace:onboard', () => {
  describe('validation', () => {
    it('refuses without the permission, checked with the initiator credentials, before reading any cluster', async () => {
      const { action, clusters, authorize } = setup({ allow: false });
      const ctx = context({ namespace: 'payments' });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('service-mesh.namespace.onboard'),
      });
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'service-mesh.namespace.onboard',
            }),
          },
        ],
        { credentials: mockCredentials.user() },
      );
      expect(clusters.flatMap(c => c.calls)).toEqual([]);
    });

    it.each([
      ['Payments', 'not a valid DNS-1123 label'],
      ['pay_ments', 'not a valid DNS-1123 label'],
      ['-payments', 'not a valid DNS-1123 label'],
      ['payments-', 'not a valid DNS-1123 label'],
      ['a'.repeat(64), 'longer than 63 characters'],
      ['', 'namespace is empty'],
      ['kube-system', 'is a system namespace'],
      ['kube-public', 'is a system namespace'],
      ['kube-node-lease', 'is a system namespace'],
      ['istio-system', 'is a system namespace'],
      ['cpaas-system', 'is a system namespace'],
      ['default', 'is a system namespace'],
      ['kube-flannel', "looks like a system namespace ('kube-*')"],
      ['istio-gateways', "looks like a system namespace ('istio-*')"],
    ])(
      'refuses namespace %j before reading any cluster',
      async (namespace, message) => {
        const { action, clusters } = setup();
        await expect(
          action.handler(context({ namespace })),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining(message),
        });
        expect(clusters.flatMap(c => c.calls)).toEqual([]);
      },
    );

    it('refuses unknown clusters, the management cluster and a bad revision, all in one error', async () => {
      const { action, clusters } = setup();
      const error = await action
        .handler(
          context({
            namespace: 'payments',
            clusters: ['cluster1', 'global', 'nope'],
            revision: '1.22',
          }),
        )
        .catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(
        "cluster 'global' is the management cluster",
      );
      expect(error.message).toContain("unknown cluster 'nope'");
      expect(error.message).toContain(
        "revision '1.22' is not a valid DNS-1123 label",
      );
      expect(clusters.flatMap(c => c.calls)).toEqual([]);
    });

    it('reads every cluster and lists every problem per cluster, changing nothing', async () => {
      const c1 = new FakeCluster('cluster1', {
        namespaces: { payments: { 'istio-injection': 'enabled' } },
      });
      const c2 = new FakeCluster('cluster2', {
        namespaces: { payments: { 'istio.io/rev': '1-21' } },
      });
      const c3 = new FakeCluster('cluster3', { revisions: ['1-21'] });
      const c4 = new FakeCluster('cluster4');
      c4.fail = () => unreachable('cluster4');
      const { action, clusters } = setup({ clusters: [c1, c2, c3, c4] });

      const error = await action
        .handler(context({ namespace: 'payments', revision: '1-22' }))
        .catch(e => e);

      expect(error.name).toBe('InputError');
      expect(error.message.split('\n')).toEqual([
        "Cannot onboard namespace 'payments' into the service mesh; nothing was changed:",
        '- cluster4: cannot read the cluster: request to https://cluster4:6443 failed, reason: connect ECONNREFUSED',
        "- cluster1: namespace 'payments' has istio-injection=enabled, which takes precedence over istio.io/rev; " +
          "remove it or use label style 'injection'",
        "- cluster2: namespace 'payments' has istio.io/rev=1-21, not the requested revision 1-22",
        "- cluster3: revision '1-22' has no istiod here (istiod revisions in istio-system: 1-21)",
      ]);
      expect(allWrites(clusters)).toEqual([]);
    });

    it('reports a cluster whose configuration cannot be turned into a client like an unreachable one', async () => {
      const c1 = new FakeCluster('cluster1');
      const c2 = new FakeCluster('cluster2');
      const clusters = fakeClusters(c1, c2);
      const action = createOnboardNamespaceAction({
        config: new ConfigReader({}),
        permissions: mockServices.permissions(),
        clusters: {
          ...clusters,
          client: name => {
            if (name === 'cluster2')
              throw new Error("Cluster 'cluster2' uses authProvider 'oidc'");
            return clusters.client(name);
          },
        },
      });
      await expect(
        action.handler(context({ namespace: 'payments' })),
      ).rejects.toThrow(
        "- cluster2: cannot read the cluster: Cluster 'cluster2' uses authProvider 'oidc'",
      );
      expect(c1.writes).toEqual([]);
    });

    it.each([
      ['alauda', { 'istio-injection': 'disabled' }, 'explicitly opted out'],
      ['injection', { 'istio-injection': 'disabled' }, 'explicitly opted out'],
      ['injection', { 'istio.io/rev': '1-22' }, 'must not both be set'],
      [
        'revision',
        { 'istio-injection': 'enabled' },
        'takes precedence over istio.io/rev',
      ],
      [
        'alauda',
        { 'cpaas.io/serviceMesh': 'disabled' },
        'has cpaas.io/serviceMesh=disabled',
      ],
      ['revision', { 'istio.io/dataplane-mode': 'ambient' }, 'ambient mode'],
    ])(
      'refuses label style %s on a namespace with %j',
      async (labelStyle, labels, message) => {
        const { action, c1, clusters } = setup();
        c1.putNamespace('payments', labels);
        await expect(
          action.handler(context({ namespace: 'payments', labelStyle })),
        ).rejects.toThrow(message);
        expect(allWrites(clusters)).toEqual([]);
      },
    );

    it('defaults the revision to the one the clusters run, and asks for one when they disagree', async () => {
      const { action, c3, clusters } = setup();
      c3.revisions = ['1-21', '1-22'];
      const error = await action
        .handler(context({ namespace: 'payments' }))
        .catch(e => e);
      expect(error.message).toContain(
        'no revision given and the target clusters do not run exactly one istiod revision ' +
          "(cluster1: 1-22; cluster2: 1-22; cluster3: 1-21, 1-22); set 'revision' explicitly",
      );
      expect(allWrites(clusters)).toEqual([]);

      const ok = context({
        namespace: 'payments',
        clusters: ['cluster1', 'cluster2'],
      });
      await action.handler(ok);
      expect(outputs(ok).results.map(r => r.labelsAdded)).toEqual([
        ALAUDA,
        ALAUDA,
      ]);
    });

    // Revision tags (istioctl tag set): failed before tags were read (`prod` "has no istiod here").
    it('accepts a revision tag that points at a running istiod, and labels the namespace with the tag', async () => {
      const prod = {
        tag: 'prod',
        revision: '1-22',
        webhook: 'istio-revision-tag-prod',
      };
      const clusters = ['cluster1', 'cluster2', 'cluster3'].map(
        name => new FakeCluster(name, { revisionTags: [prod] }),
      );
      const { action, c1 } = setup({ clusters });
      const ctx = context({ namespace: 'payments', revision: 'prod' });
      await action.handler(ctx);
      expect(c1.labelsOf('payments')).toEqual({
        'cpaas.io/serviceMesh': 'enabled',
        'istio.io/rev': 'prod',
      });
      expect(c1.calls).toContain('listRevisionTags');
    });

    it('keeps an istio.io/rev that is a tag pointing at the requested revision: no conflict, no relabelling', async () => {
      const c1 = new FakeCluster('cluster1', {
        revisionTags: [
          { tag: 'prod', revision: '1-22', webhook: 'istio-revision-tag-prod' },
        ],
        namespaces: { payments: { 'istio.io/rev': 'prod' } },
      });
      const { action } = setup({ clusters: [c1] });
      const ctx = context({ namespace: 'payments', revision: '1-22' });
      await action.handler(ctx);
      expect(c1.labelsOf('payments')).toEqual({
        'istio.io/rev': 'prod',
        'cpaas.io/serviceMesh': 'enabled',
      });
      expect(outputs(ctx).results[0].labelsAdded).toEqual({
        'cpaas.io/serviceMesh': 'enabled',
      });
    });

    it('refuses a tag whose revision has no istiod, and an unknown name, naming the tags there', async () => {
      const c1 = new FakeCluster('cluster1', {
        revisionTags: [
          { tag: 'prod', revision: '1-21', webhook: 'istio-revision-tag-prod' },
        ],
      });
      const c2 = new FakeCluster('cluster2');
      const { action, clusters } = setup({ clusters: [c1, c2] });
      const error = await action
        .handler(context({ namespace: 'payments', revision: 'prod' }))
        .catch(e => e);
      expect(error.message.split('\n').slice(1)).toEqual([
        "- cluster1: revision tag 'prod' points at revision '1-21', which has no istiod here " +
          '(istiod revisions in istio-system: 1-22; revision tags: prod → 1-21)',
        "- cluster2: revision 'prod' has no istiod here (istiod revisions in istio-system: 1-22)",
      ]);
      expect(allWrites(clusters)).toEqual([]);
    });

    it('defaults to the revision tag clusters on different revisions share (an upgrade in progress)', async () => {
      const c1 = new FakeCluster('cluster1', {
        revisions: ['1-22'],
        revisionTags: [
          { tag: 'prod', revision: '1-22', webhook: 'istio-revision-tag-prod' },
        ],
      });
      const c2 = new FakeCluster('cluster2', {
        revisions: ['1-23'],
        revisionTags: [
          { tag: 'prod', revision: '1-23', webhook: 'istio-revision-tag-prod' },
        ],
      });
      const { action } = setup({ clusters: [c1, c2] });
      await action.handler(context({ namespace: 'payments' }));
      expect(c2.labelsOf('payments')).toEqual({
        'cpaas.io/serviceMesh': 'enabled',
        'istio.io/rev': 'prod',
      });
    });

    it("refuses label style 'injection' where neither a default revision nor the default tag has an istiod", async () => {
      const c1 = new FakeCluster('cluster1', {
        revisionTags: [
          {
            tag: 'default',
            revision: '1-22',
            webhook: 'istio-revision-tag-default',
          },
        ],
      });
      const c2 = new FakeCluster('cluster2');
      const { action, clusters } = setup({ clusters: [c1, c2] });
      const error = await action
        .handler(context({ namespace: 'payments', labelStyle: 'injection' }))
        .catch(e => e);
      expect(error.message.split('\n').slice(1)).toEqual([
        "- cluster2: istio-injection=enabled is served by the default revision or the revision tag 'default', " +
          'and neither has an istiod here (istiod revisions in istio-system: 1-22); ' +
          "run istioctl tag set default --revision <rev>, or use label style 'revision'",
      ]);
      expect(allWrites(clusters)).toEqual([]);
    });

    it('validates revisions where the tags cannot be read (403), and names the RBAC rule when a tag is asked for', async () => {
      const { action, c1, clusters } = setup();
      c1.fail = op =>
        op === 'listRevisionTags'
          ? status(
              403,
              'Forbidden',
              'mutatingwebhookconfigurations is forbidden',
            )
          : undefined;
      const ok = context({ namespace: 'payments', revision: '1-22' });
      await action.handler(ok);
      expect(c1.labelsOf('payments')).toEqual(ALAUDA);
      const error = await action
        .handler(context({ namespace: 'orders', revision: 'prod' }))
        .catch(e => e);
      expect(error.message).toContain(
        "- cluster1: revision 'prod' has no istiod here (istiod revisions in istio-system: 1-22); " +
          'revision tags could not be read (',
      );
      expect(error.message).toContain(
        'grant {apiGroups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"], verbs: ["list", "watch"]} (ClusterRole)',
      );
      expect(clusters[1].labelsOf('orders')).toBeUndefined();
    });

    it('fails when no istiod runs anywhere and no revision is given', async () => {
      const { action, clusters } = setup();
      for (const c of clusters) c.revisions = [];
      await expect(
        action.handler(context({ namespace: 'payments' })),
      ).rejects.toThrow(
        'no istiod runs in istio-system on the target clusters',
      );
    });

    it('refuses a missing namespace when createIfMissing is false, and a namespace being deleted', async () => {
      const { action, c2 } = setup();
      c2.putNamespace('payments', {});
      c2.namespaces.get('payments')!.phase = 'Terminating';
      const error = await action
        .handler(context({ namespace: 'payments', createIfMissing: false }))
        .catch(e => e);
      expect(error.message).toContain(
        "- cluster1: namespace 'payments' does not exist and createIfMissing is false",
      );
      expect(error.message).toContain(
        "- cluster2: namespace 'payments' is being deleted",
      );
    });

    it('refuses to replace a non-STRICT PeerAuthentication, and needs Istio security API for strictMtls', async () => {
      const { action, c1, c2 } = setup();
      c1.putNamespace('payments', {});
      c1.peerAuthentications.set('payments', {
        mode: 'PERMISSIVE',
        hasSelector: false,
      });
      c2.peerAuthenticationVersion = undefined;
      const error = await action
        .handler(context({ namespace: 'payments', strictMtls: true }))
        .catch(e => e);
      expect(error.message).toContain(
        "- cluster1: PeerAuthentication 'payments/default' already exists with mode PERMISSIVE",
      );
      expect(error.message).toContain(
        "- cluster2: Istio's security.istio.io API is not served",
      );
    });
  });

  describe('onboarding', () => {
    it('creates the namespace with the Alauda labels on every member cluster', async () => {
      const { action, clusters } = setup();
      const ctx = context({ namespace: 'payments' });
      await action.handler(ctx);

      for (const c of clusters) {
        expect(c.labelsOf('payments')).toEqual(ALAUDA);
        expect(c.writes).toEqual(['createNamespace payments']);
      }
      const { results, summary } = outputs(ctx);
      expect(results).toEqual(
        ['cluster1', 'cluster2', 'cluster3'].map(cluster => ({
          cluster,
          namespace: 'payments',
          created: true,
          labelsAdded: ALAUDA,
          peerAuthentication: 'skipped',
          status: 'changed',
        })),
      );
      expect(summary).toContain(
        "Onboarded namespace 'payments' (revision 1-22, label style alauda) on 3 cluster(s)",
      );
      expect(summary).toContain(
        '- cluster1: created namespace payments with labels {cpaas.io/serviceMesh=enabled, istio.io/rev=1-22}',
      );
    });

    it('merges the labels into an existing namespace, keeping its other labels, with a resourceVersion precondition', async () => {
      const { action, c1, c2 } = setup({
        clusters: [new FakeCluster('cluster1'), new FakeCluster('cluster2')],
      });
      c1.putNamespace('payments', { team: 'billing', 'istio.io/rev': '1-22' });
      const rv = c1.namespaces.get('payments')!.resourceVersion;
      const patch = jest.spyOn(c1, 'patchNamespaceLabels');
      const ctx = context({ namespace: 'payments' });
      await action.handler(ctx);

      expect(patch).toHaveBeenCalledWith(
        'payments',
        { 'cpaas.io/serviceMesh': 'enabled' },
        String(rv),
      );
      expect(c1.labelsOf('payments')).toEqual({ team: 'billing', ...ALAUDA });
      expect(c2.labelsOf('payments')).toEqual(ALAUDA);
      expect(outputs(ctx).results[0]).toMatchObject({
        created: false,
        labelsAdded: { 'cpaas.io/serviceMesh': 'enabled' },
        status: 'changed',
      });
    });

    it.each([
      ['revision', { 'istio.io/rev': '1-22' }],
      ['injection', { 'istio-injection': 'enabled' }],
    ])('applies label style %s', async (labelStyle, labels) => {
      // istio-injection=enabled needs the default revision or tag (istioctl tag set default --revision 1-22).
      const clusters = ['cluster1', 'cluster2', 'cluster3'].map(
        name =>
          new FakeCluster(name, {
            revisionTags: [
              {
                tag: 'default',
                revision: '1-22',
                webhook: 'istio-revision-tag-default',
              },
            ],
          }),
      );
      const { action, c1 } = setup({ clusters });
      await action.handler(context({ namespace: 'payments', labelStyle }));
      expect(c1.labelsOf('payments')).toEqual(labels);
    });

    it('is idempotent: a second run reports unchanged and sends no write', async () => {
      const { action, clusters } = setup();
      await action.handler(
        context({ namespace: 'payments', strictMtls: true }),
      );
      const writes = allWrites(clusters).length;

      const ctx = context({ namespace: 'payments', strictMtls: true });
      await action.handler(ctx);
      expect(allWrites(clusters).length).toBe(writes);
      const { results, summary } = outputs(ctx);
      expect(results.map(r => [r.status, r.peerAuthentication])).toEqual([
        ['unchanged', 'unchanged'],
        ['unchanged', 'unchanged'],
        ['unchanged', 'unchanged'],
      ]);
      expect(summary).toContain('was already onboarded');
    });

    it('creates the STRICT PeerAuthentication when asked', async () => {
      const { action, c1, c2 } = setup();
      c2.putNamespace('payments', ALAUDA);
      const ctx = context({ namespace: 'payments', strictMtls: true });
      await action.handler(ctx);
      expect(c1.peerAuthentications.get('payments')).toEqual({
        mode: 'STRICT',
        hasSelector: false,
      });
      expect(c2.writes).toEqual(['createPeerAuthentication payments v1']);
      expect(outputs(ctx).results[1]).toMatchObject({
        labelsAdded: {},
        peerAuthentication: 'created',
        status: 'changed',
      });
    });

    it.each([
      ['the dryRun input', { dryRun: true }, {}],
      ['a dry-run task', {}, { isDryRun: true }],
    ])(
      'reports what it would change and changes nothing for %s',
      async (_, input, extra) => {
        const { action, c2, c3, clusters } = setup();
        c2.putNamespace('payments', { team: 'billing' });
        c3.putNamespace('payments', ALAUDA);
        c3.peerAuthentications.set('payments', {
          mode: 'STRICT',
          hasSelector: false,
        });
        const ctx = context(
          { namespace: 'payments', strictMtls: true, ...input },
          extra,
        );
        await action.handler(ctx);

        expect(allWrites(clusters)).toEqual([]);
        const { results, summary } = outputs(ctx);
        expect(results).toEqual([
          expect.objectContaining({
            cluster: 'cluster1',
            created: true,
            labelsAdded: ALAUDA,
            peerAuthentication: 'created',
            status: 'dry-run',
          }),
          expect.objectContaining({
            cluster: 'cluster2',
            created: false,
            labelsAdded: ALAUDA,
            peerAuthentication: 'created',
            status: 'dry-run',
          }),
          expect.objectContaining({
            cluster: 'cluster3',
            created: false,
            labelsAdded: {},
            peerAuthentication: 'unchanged',
            status: 'dry-run',
          }),
        ]);
        expect(summary.split('\n')).toEqual([
          "Dry run: nothing was changed. Onboarding namespace 'payments' (revision 1-22, label style alauda) would:",
          '- cluster1: would create namespace payments with labels {cpaas.io/serviceMesh=enabled, istio.io/rev=1-22}; ' +
            'create PeerAuthentication payments/default (mTLS STRICT)',
          '- cluster2: would add labels {cpaas.io/serviceMesh=enabled, istio.io/rev=1-22} to namespace payments; ' +
            'create PeerAuthentication payments/default (mTLS STRICT)',
          '- cluster3: nothing to change',
        ]);
      },
    );
  });

  describe('conflicts and failures', () => {
    it('re-reads and retries when the namespace changed between read and patch (409)', async () => {
      const { action, c1 } = setup({ clusters: [new FakeCluster('cluster1')] });
      c1.putNamespace('payments', { team: 'billing' });
      let interfered = false;
      c1.before = operation => {
        if (operation === 'patchNamespaceLabels' && !interfered) {
          interfered = true;
          c1.putNamespace('payments', { team: 'billing', owner: 'alice' });
        }
      };
      const ctx = context({ namespace: 'payments' });
      await action.handler(ctx);
      expect(c1.labelsOf('payments')).toEqual({
        team: 'billing',
        owner: 'alice',
        ...ALAUDA,
      });
      expect(c1.calls.filter(c => c.startsWith('patch'))).toHaveLength(2);
      expect(outputs(ctx).results[0].status).toBe('changed');
    });

    it('stops when someone adds a conflicting label meanwhile, and gives up after 3 conflicts', async () => {
      const { action, c1 } = setup({ clusters: [new FakeCluster('cluster1')] });
      c1.putNamespace('payments', {});
      c1.before = operation => {
        if (operation === 'patchNamespaceLabels')
          c1.putNamespace('payments', { other: 'x' });
      };
      await expect(
        action.handler(context({ namespace: 'payments' })),
      ).rejects.toThrow(
        'namespace payments kept changing while it was being labelled (3 conflicts)',
      );

      c1.before = operation => {
        if (operation === 'patchNamespaceLabels')
          c1.putNamespace('payments', { 'istio-injection': 'enabled' });
      };
      await expect(
        action.handler(context({ namespace: 'payments' })),
      ).rejects.toThrow(
        'namespace payments was changed meanwhile and now has istio-injection=enabled',
      );
    });

    it('labels a namespace someone created between validation and create', async () => {
      const { action, c1 } = setup({ clusters: [new FakeCluster('cluster1')] });
      c1.before = operation => {
        if (operation === 'createNamespace' && !c1.namespaces.has('payments'))
          c1.putNamespace('payments', { team: 'x' });
      };
      const ctx = context({ namespace: 'payments' });
      await action.handler(ctx);
      expect(c1.labelsOf('payments')).toEqual({ team: 'x', ...ALAUDA });
      expect(outputs(ctx).results[0]).toMatchObject({
        created: false,
        labelsAdded: ALAUDA,
        status: 'changed',
      });
    });

    it('rolls back the other clusters when one fails part-way', async () => {
      const { action, c1, c2, c3 } = setup();
      c2.putNamespace('payments', { team: 'billing' });
      c3.fail = operation =>
        operation === 'createNamespace'
          ? status(403, 'Forbidden', 'namespaces is forbidden')
          : undefined;
      const ctx = context({ namespace: 'payments' });
      const error = await action.handler(ctx).catch(e => e);

      expect(c1.namespaces.has('payments')).toBe(false);
      expect(c2.labelsOf('payments')).toEqual({ team: 'billing' });
      expect(c3.namespaces.has('payments')).toBe(false);
      expect(error.message.split('\n')).toEqual([
        "Onboarding namespace 'payments' failed on cluster cluster3: namespaces is forbidden (403)",
        'Every change this task had made was rolled back.',
        '- cluster1: rolled back (had created namespace payments with labels {cpaas.io/serviceMesh=enabled, istio.io/rev=1-22})',
        '- cluster2: rolled back (had added labels {cpaas.io/serviceMesh=enabled, istio.io/rev=1-22} to namespace payments)',
        '- cluster3: failed: namespaces is forbidden (403)',
      ]);
      expect(outputs(ctx).results.map(r => r.status)).toEqual([
        'rolled-back',
        'rolled-back',
        'failed',
      ]);
    });

    it('rolls back the partial changes of the failing cluster and leaves later clusters alone', async () => {
      const { action, c1, c2, c3 } = setup();
      c2.fail = operation =>
        operation === 'createPeerAuthentication'
          ? status(500, 'InternalError', 'etcd timeout')
          : undefined;
      const ctx = context({ namespace: 'payments', strictMtls: true });
      await expect(action.handler(ctx)).rejects.toThrow(
        'failed on cluster cluster2: etcd timeout (500)',
      );

      expect(c1.namespaces.has('payments')).toBe(false);
      expect(c2.namespaces.has('payments')).toBe(false);
      expect(
        c3.calls.filter(
          c =>
            !c.startsWith('read') &&
            !c.startsWith('list') &&
            !c.startsWith('peerAuth'),
        ),
      ).toEqual([]);
      expect(outputs(ctx).results).toEqual([
        expect.objectContaining({
          cluster: 'cluster1',
          status: 'rolled-back',
          created: true,
          peerAuthentication: 'created',
        }),
        expect.objectContaining({
          cluster: 'cluster2',
          status: 'failed',
          created: true,
          error: 'etcd timeout (500); its partial changes were rolled back',
        }),
        expect.objectContaining({
          cluster: 'cluster3',
          status: 'unchanged',
          error: 'not attempted: onboarding stopped when cluster2 failed',
        }),
      ]);
    });

    it('removes only the labels it added and still carry its value', async () => {
      const { action, c1, c2 } = setup({
        clusters: [new FakeCluster('cluster1'), new FakeCluster('cluster2')],
      });
      c1.putNamespace('payments', { team: 'billing' });
      c2.fail = operation => {
        if (operation !== 'createNamespace') return undefined;
        // someone re-labels cluster1 while cluster2 is being onboarded
        c1.putNamespace('payments', {
          ...c1.labelsOf('payments'),
          'cpaas.io/serviceMesh': 'enabled-by-ops',
        });
        return status(500, 'InternalError', 'boom');
      };
      await expect(
        action.handler(context({ namespace: 'payments' })),
      ).rejects.toThrow('boom');
      expect(c1.labelsOf('payments')).toEqual({
        team: 'billing',
        'cpaas.io/serviceMesh': 'enabled-by-ops',
      });
    });

    it('reports exactly which clusters were left changed when a rollback fails too', async () => {
      const { action, c1, c2, c3 } = setup();
      c3.fail = operation =>
        operation === 'createNamespace' ? unreachable('cluster3') : undefined;
      c1.fail = operation =>
        operation === 'deleteNamespace' ? unreachable('cluster1') : undefined;
      const ctx = context({ namespace: 'payments' });
      const logError = jest.spyOn(ctx.logger, 'error');
      const error = await action.handler(ctx).catch(e => e);

      expect(c1.labelsOf('payments')).toEqual(ALAUDA);
      expect(c2.namespaces.has('payments')).toBe(false);
      expect(error.message.split('\n')).toEqual([
        "Onboarding namespace 'payments' failed on cluster cluster3: request to https://cluster3:6443 failed, reason: connect ECONNREFUSED",
        'Rollback failed on cluster1: changes of this task remain there (see below).',
        '- cluster1: left changed (created namespace payments with labels {cpaas.io/serviceMesh=enabled, istio.io/rev=1-22}): ' +
          'rollback failed: request to https://cluster1:6443 failed, reason: connect ECONNREFUSED',
        '- cluster2: rolled back (had created namespace payments with labels {cpaas.io/serviceMesh=enabled, istio.io/rev=1-22})',
        '- cluster3: failed: request to https://cluster3:6443 failed, reason: connect ECONNREFUSED',
      ]);
      expect(outputs(ctx).results.map(r => r.status)).toEqual([
        'changed',
        'rolled-back',
        'failed',
      ]);
      expect(logError.mock.calls.flat().join('\n')).toContain(
        'cluster1: rollback failed',
      );
    });
  });

  describe('checkpoints', () => {
    /** A checkpoint store like the scaffolder's: a key that succeeded in an earlier attempt is replayed. */
    function checkpointStore() {
      const stored = new Map<string, unknown>();
      const previous = new Map<string, unknown>();
      return {
        keys: () => [...stored.keys()],
        retry() {
          previous.clear();
          for (const [k, v] of stored) previous.set(k, v);
        },
        checkpoint: async ({
          key,
          fn,
        }: {
          key: string;
          fn: () => Promise<any>;
        }) => {
          if (previous.has(key)) return previous.get(key);
          const value = await fn();
          stored.set(key, value);
          return value;
        },
      };
    }

    it('uses one checkpoint per cluster and does not redo a finished cluster on retry', async () => {
      const { action, c1, c2, c3 } = setup();
      const store = checkpointStore();
      c3.fail = operation =>
        operation === 'createNamespace'
          ? status(500, 'InternalError', 'boom')
          : undefined;
      c1.fail = operation =>
        operation === 'deleteNamespace' ? unreachable('cluster1') : undefined;
      await expect(
        action.handler(
          context({ namespace: 'payments' }, { checkpoint: store.checkpoint }),
        ),
      ).rejects.toThrow();
      expect(store.keys()).toEqual([
        'onboard-cluster1-payments',
        'onboard-cluster2-payments',
      ]);

      // the retry: cluster1 was left changed (replayed, no write); cluster2 was rolled back (onboarded again)
      store.retry();
      c1.fail = undefined;
      c3.fail = undefined;
      const writesBefore = c1.writes.length;
      const ctx = context(
        { namespace: 'payments' },
        { checkpoint: store.checkpoint },
      );
      await action.handler(ctx);
      expect(c1.writes.length).toBe(writesBefore);
      expect(c2.labelsOf('payments')).toEqual(ALAUDA);
      expect(c3.labelsOf('payments')).toEqual(ALAUDA);
      expect(
        outputs(ctx).results.map(r => [r.cluster, r.created, r.status]),
      ).toEqual([
        ['cluster1', true, 'changed'],
        ['cluster2', true, 'changed'],
        ['cluster3', true, 'changed'],
      ]);
    });
  });
});
