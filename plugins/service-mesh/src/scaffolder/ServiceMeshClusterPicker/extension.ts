import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { serviceMeshPlugin } from '../../plugin';
import { ServiceMeshClusterPicker } from './ServiceMeshClusterPicker';
import { ServiceMeshClusterPickerSchema } from './schema';
import { serviceMeshClusterPickerValidation } from './validation';

/** Name of the field in templates: `ui:field: ServiceMeshClusterPicker`. */
export const SERVICE_MESH_CLUSTER_PICKER = 'ServiceMeshClusterPicker';

/**
 * Scaffolder field (legacy frontend system) for the mesh's member clusters and the Istio revision:
 * `<ScaffolderFieldExtensions><ServiceMeshClusterPickerFieldExtension /></ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const ServiceMeshClusterPickerFieldExtension = serviceMeshPlugin.provide(
  createScaffolderFieldExtension({
    name: SERVICE_MESH_CLUSTER_PICKER,
    component: ServiceMeshClusterPicker,
    validation: serviceMeshClusterPickerValidation,
    schema: ServiceMeshClusterPickerSchema.schema,
  }),
);
