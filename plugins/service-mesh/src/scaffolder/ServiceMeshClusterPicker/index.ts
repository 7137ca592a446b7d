export { ServiceMeshClusterPicker } from './ServiceMeshClusterPicker';
export {
  ServiceMeshClusterPickerFieldExtension,
  SERVICE_MESH_CLUSTER_PICKER,
} from './extension';
export { serviceMeshClusterPickerValidation } from './validation';
export { ServiceMeshClusterPickerSchema } from './schema';
export type {
  ServiceMeshClusterPickerProps,
  ServiceMeshClusterPickerValue,
} from './schema';
