export { ReachabilityMatrix } from './ReachabilityMatrix';
export { MeshTopology } from './MeshTopology';
