export {
  isNotAllowedError,
  MeshPermissionRequired,
  RequireMeshPermission,
} from './RequireMeshPermission';
