import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'service-mesh' });

/** The entity's Service Mesh tab; the card links to it wherever the app mounts the tab. */
export const entityContentRouteRef = createRouteRef({
  id: 'service-mesh:entity-content',
});
