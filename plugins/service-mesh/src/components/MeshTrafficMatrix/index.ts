export { MeshTrafficMatrix } from './MeshTrafficMatrix';
