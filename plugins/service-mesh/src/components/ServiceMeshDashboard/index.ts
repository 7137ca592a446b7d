export { ServiceMeshDashboard } from './ServiceMeshDashboard';
