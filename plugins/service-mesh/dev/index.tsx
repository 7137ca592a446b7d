/*
 * `yarn start` in this package: the plugin alone in a dev app on :3000 (app.baseUrl in app-config.yaml), talking to
 * the real REST API of a backend started separately, e.g. `yarn start` in plugins/service-mesh-backend (the plugin
 * alone against kube-sim's demo mesh on :7007, backend.baseUrl). See README, Develop.
 */
import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { MockPermissionApi } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  EntityServiceMeshCard,
  EntityServiceMeshContent,
  serviceMeshPlugin,
  ServiceMeshPage,
} from '../src';

// The demo catalog's product-service (examples/entities.yaml); the dev backend's mock catalog holds it too.
const productService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'product-service',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'product-service',
      'backstage.io/kubernetes-namespace': 'global-svc',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'shop-team' },
};

createDevApp()
  .registerPlugin(serviceMeshPlugin)
  // No permission backend in dev: the frontend's checks allow; the dev backend decides (SERVICE_MESH_DEV_PERMISSION).
  .registerApi({
    api: permissionApiRef,
    deps: {},
    factory: () => new MockPermissionApi(),
  })
  .addPage({
    element: <ServiceMeshPage />,
    title: 'Service Mesh',
    path: '/service-mesh',
  })
  .addPage({
    element: (
      <EntityProvider entity={productService}>
        <EntityServiceMeshCard />
        <EntityServiceMeshContent />
      </EntityProvider>
    ),
    title: 'Entity: product-service',
    path: '/product-service',
  })
  .render();
