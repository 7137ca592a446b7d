export { serviceMeshApiRef } from './ServiceMeshApi';
export type { ServiceMeshApi } from './ServiceMeshApi';
export { ServiceMeshClient } from './ServiceMeshClient';
