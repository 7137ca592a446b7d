import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { SERVICE_MESH_CLUSTER_PICKER } from './extension';
import { ServiceMeshClusterPicker } from './ServiceMeshClusterPicker';
import { ServiceMeshClusterPickerSchema } from './schema';
import { serviceMeshClusterPickerValidation } from './validation';

/** The field for the new frontend system, loaded lazily by FormFieldBlueprint. */
export const serviceMeshClusterPickerFormField = createFormField({
  name: SERVICE_MESH_CLUSTER_PICKER,
  component: ServiceMeshClusterPicker,
  validation: serviceMeshClusterPickerValidation,
  schema: ServiceMeshClusterPickerSchema,
});
