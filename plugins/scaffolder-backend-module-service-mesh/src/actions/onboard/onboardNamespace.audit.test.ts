import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createOnboardNamespaceAction } from './onboardNamespace';
import { FakeCluster, fakeClusters } from './__testUtils__/FakeCluster';

function setup(allow = true) {
  const clusters = [new FakeCluster('cluster1'), new FakeCluster('cluster2')];
  const event = {
    success: jest.fn(async () => {}),
    fail: jest.fn(async () => {}),
  };
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockResolvedValue(event);
  const action = createOnboardNamespaceAction({
    config: new ConfigReader({}),
    permissions: mockServices.permissions.mock({
      authorize: (async () => [
        { result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY },
      ]) as any,
    }),
    clusters: fakeClusters(...clusters),
    auditor,
  });
  return { action, auditor, event, clusters };
}

describe('service-mesh:namespace:onboard audit events', () => {
  it('records who onboarded which namespace where, and the per-cluster results', async () => {
    const { action, auditor, event } = setup();
    const ctx = createMockActionContext({
      input: {
        namespace: 'payments',
        clusters: ['cluster1', 'cluster2'],
      } as any,
    });
    await action.handler(ctx);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'namespace-onboard',
      severityLevel: 'high',
      meta: expect.objectContaining({
        namespace: 'payments',
        clusters: ['cluster1', 'cluster2'],
        dryRun: false,
      }),
    });
    expect(event.fail).not.toHaveBeenCalled();
    expect(event.success).toHaveBeenCalledWith({
      meta: {
        results: expect.arrayContaining([
          expect.objectContaining({ cluster: 'cluster1', status: 'changed' }),
          expect.objectContaining({ cluster: 'cluster2', status: 'changed' }),
        ]),
      },
    });
  });

  it('records a dry run at low severity', async () => {
    const { action, auditor, event, clusters } = setup();
    await action.handler(
      createMockActionContext({
        input: { namespace: 'payments', dryRun: true } as any,
      }),
    );
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        severityLevel: 'low',
        meta: expect.objectContaining({ dryRun: true, clusters: 'all' }),
      }),
    );
    expect(event.success).toHaveBeenCalled();
    expect(clusters.flatMap(c => c.writes)).toEqual([]);
  });

  it('records a denied attempt as a failure', async () => {
    const { action, event } = setup(false);
    await expect(
      action.handler(
        createMockActionContext({ input: { namespace: 'payments' } as any }),
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(event.success).not.toHaveBeenCalled();
    expect(event.fail).toHaveBeenCalledWith(
      expect.objectContaining({
        error: expect.objectContaining({ name: 'NotAllowedError' }),
      }),
    );
  });
});
