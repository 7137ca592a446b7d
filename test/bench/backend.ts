/*
 * The benchmark's backend: one process with the catalog, permissions (allow-all), Backstage's Kubernetes backend
 * (the peer) and the service-mesh backend, configured only by the `--config` files run.mjs writes (static token,
 * SQLite in memory, the simulated clusters). Started with the Backstage CLI's node transform:
 *   node --require @backstage/cli-node/config/nodeTransform.cjs test/bench/backend.ts --config bench.yaml
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@internal/plugin-service-mesh-backend'));
backend.start();
