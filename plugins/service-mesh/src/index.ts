/**
 * Frontend plugin for multi-cluster Istio service meshes.
 *
 * @packageDocumentation
 */
export {
  serviceMeshPlugin,
  ServiceMeshPage,
  EntityServiceMeshContent,
  EntityServiceMeshCard,
} from './plugin';
export { isServiceMeshAvailable } from './isServiceMeshAvailable';
export { serviceMeshApiRef, ServiceMeshClient } from './api';
export type { ServiceMeshApi } from './api';
export {
  ServiceMeshClusterPickerFieldExtension,
  ServiceMeshClusterPickerSchema,
  type ServiceMeshClusterPickerValue,
} from './scaffolder';
