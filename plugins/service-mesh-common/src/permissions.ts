import { createPermission } from '@backstage/plugin-permission-common';

/** Read the mesh snapshot (clusters, overview, entity views). */
export const serviceMeshReadPermission = createPermission({
  name: 'service-mesh.read',
  attributes: { action: 'read' },
});

/** Trigger an immediate refresh of the mesh snapshot (reads every cluster). */
export const serviceMeshRefreshPermission = createPermission({
  name: 'service-mesh.refresh',
  attributes: { action: 'update' },
});

/** Onboard a namespace into the mesh on the mesh's clusters (changes clusters). */
export const serviceMeshNamespaceOnboardPermission = createPermission({
  name: 'service-mesh.namespace.onboard',
  attributes: { action: 'create' },
});

export const serviceMeshPermissions = [
  serviceMeshReadPermission,
  serviceMeshRefreshPermission,
  serviceMeshNamespaceOnboardPermission,
];
