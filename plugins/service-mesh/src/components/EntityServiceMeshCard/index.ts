export { EntityServiceMeshCard } from './EntityServiceMeshCard';
