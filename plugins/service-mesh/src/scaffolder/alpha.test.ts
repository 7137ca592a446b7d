import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { serviceMeshClusterPickerFormField } from './alpha';

describe('serviceMeshClusterPickerFormField', () => {
  it('provides the ServiceMeshClusterPicker field to the scaffolder form', async () => {
    const tester = createExtensionTester(serviceMeshClusterPickerFormField);
    const field = await tester.get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    )();
    expect(field).toMatchObject({
      version: 'v1',
      name: 'ServiceMeshClusterPicker',
    });
    expect(serviceMeshClusterPickerFormField).toMatchObject({
      kind: 'scaffolder-form-field',
    });
  });
});
