export { ServiceMeshRoutes } from './ServiceMeshRoutes';
