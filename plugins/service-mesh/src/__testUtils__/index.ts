export { mockServiceMeshApi } from './mockServiceMeshApi';
export { LocationProbe } from './LocationProbe';
export { responseError } from './responseError';
export { renderWithMeshApis } from './renderWithMeshApis';
export type { RenderWithMeshApisOptions } from './renderWithMeshApis';
