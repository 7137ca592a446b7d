export { RemoteSecretMatrix } from './RemoteSecretMatrix';
export type { RemoteSecretMatrixProps } from './RemoteSecretMatrix';
