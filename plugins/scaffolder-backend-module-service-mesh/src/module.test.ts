import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleServiceMesh } from './module';

describe('scaffolderModuleServiceMesh', () => {
  it('registers the onboarding action with the scaffolder', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleServiceMesh,
        mockServices.rootConfig.factory({
          data: { serviceMesh: { managementCluster: 'global' } },
        }),
      ],
    });
    expect(addActions).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'service-mesh:namespace:onboard',
        supportsDryRun: true,
      }),
    );
    const action = addActions.mock.calls[0][0];
    expect(action.schema.input.properties).toEqual(
      expect.objectContaining({
        namespace: expect.objectContaining({ type: 'string' }),
        labelStyle: expect.objectContaining({
          enum: ['alauda', 'revision', 'injection'],
        }),
      }),
    );
    expect(action.examples.length).toBeGreaterThan(0);
  });
});
