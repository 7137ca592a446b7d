import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'service-mesh' });

/** The entity's Service Mesh tab; the card links to it wherever the app mounts the tab. */
export const entityContentRouteRef = createRouteRef({
  id: 'service-mesh:entity-content',
});

/** A finding code's documentation, inside the dashboard page (`/service-mesh/findings/MESH010`). */
export const findingDocsRouteRef = createSubRouteRef({
  id: 'service-mesh:finding-docs',
  parent: rootRouteRef,
  path: '/findings/:code',
});
