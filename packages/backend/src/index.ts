/*
 * The demo backend: catalog, Kubernetes, scaffolder and permissions, plus the service-mesh plugin and its
 * scaffolder module.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// Allow all, except what the browser tests deny through $DEMO_DENIED_PERMISSIONS_FILE (demoPermissionPolicy.ts).
backend.add(import('./demoPermissionPolicy'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@internal/plugin-scaffolder-backend-module-service-mesh'));

// Signals and user settings back the frontend's storage API (starred entities, preferences).
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));

backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@internal/plugin-service-mesh-backend'));

backend.start();
