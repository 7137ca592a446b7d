import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The ServiceMeshClusterPicker scaffolder field for the new frontend system.
 *
 * @alpha
 */
export const serviceMeshClusterPickerFormField = FormFieldBlueprint.make({
  name: 'service-mesh-cluster-picker',
  params: {
    field: () =>
      import('./ServiceMeshClusterPicker/formField').then(
        m => m.serviceMeshClusterPickerFormField,
      ),
  },
});

/**
 * Adds the service-mesh form fields to the scaffolder (new frontend system): install it next to the scaffolder
 * plugin, e.g. `createApp({ features: [scaffolderPlugin, serviceMeshScaffolderModule] })`.
 *
 * @alpha
 */
export const serviceMeshScaffolderModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [serviceMeshClusterPickerFormField],
});
