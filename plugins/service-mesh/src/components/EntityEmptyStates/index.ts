export { MissingAnnotationState, NotInMeshState } from './EntityEmptyStates';
