/**
 * Test utilities of the service-mesh plugins, for their tests only: a separate entry point
 * (`/testUtils`) that the main bundle never includes.
 *
 * @packageDocumentation
 */
export { demoMesh, DEMO_NOW } from './demoMesh';
export { ISTIO_DURATION_BUCKETS, latencyCdf } from './traffic';
export { emptyData, policy } from './meshData';
