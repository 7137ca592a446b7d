export {
  ServiceMeshClusterPickerFieldExtension,
  ServiceMeshClusterPickerSchema,
  type ServiceMeshClusterPickerValue,
} from './ServiceMeshClusterPicker';
