// Builders of the objects of a multi-primary, multi-network Istio mesh as they look on real clusters: used by
// the scenario generator (generate.ts). The demo scenario (scenarios/demo) is written in the same shapes.
export * from './identity.ts';
export * from './kubernetes.ts';
export * from './istio.ts';
export * from './serviceMesh.ts';
