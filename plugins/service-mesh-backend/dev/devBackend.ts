/*
 * The pieces of the plugin's stand-alone dev backend (dev/index.ts), kept apart so that a test can boot the same
 * features against kube-sim (src/__integration__/devBackend.integration.test.ts).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import {
  appConfigFragment,
  RunningSimulator,
  startSimulator,
} from '@internal/kube-sim';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../..');

/** The demo catalog (examples/entities.yaml): the components whose workloads run in the demo mesh. */
export function demoEntities(
  file = path.join(repoRoot, 'examples/entities.yaml'),
): Entity[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(doc => doc.toJS() as Entity | null)
    .filter((e): e is Entity => !!e?.kind);
}

/** kube-sim with a scenario of packages/kube-sim/scenarios (default `demo`), on free loopback ports. */
export async function startDevKubeSim(
  scenario = 'demo',
): Promise<RunningSimulator> {
  const scenarioDir = path.isAbsolute(scenario)
    ? scenario
    : path.join(repoRoot, 'packages/kube-sim/scenarios', scenario);
  return startSimulator({ scenarioDir, port: 0 });
}

/**
 * kube-sim's app-config fragment as APP_CONFIG_ variables: they are merged over app-config.yaml when the backend
 * reads its config (JSON values are parsed), so the rest of the developer's config still applies.
 */
export function kubeSimEnv(sim: RunningSimulator): Record<string, string> {
  const fragment = appConfigFragment(sim) as {
    kubernetes: { clusterLocatorMethods: unknown[] };
    serviceMesh?: { managementCluster?: string };
  };
  return {
    APP_CONFIG_kubernetes_clusterLocatorMethods: JSON.stringify(
      fragment.kubernetes.clusterLocatorMethods,
    ),
    ...(fragment.serviceMesh?.managementCluster
      ? {
          APP_CONFIG_serviceMesh_managementCluster:
            fragment.serviceMesh.managementCluster,
        }
      : {}),
  };
}

/**
 * Local development only: every request without credentials acts as the mock user (so the dev app and curl need
 * no sign-in), permissions answer `permission` (default allow; `deny` shows the permission-required states), and
 * the catalog is a read-only mock holding `entities`.
 */
export function devFeatures(options: {
  entities: Entity[];
  permission?: 'allow' | 'deny';
}) {
  return [
    mockServices.auth.factory(),
    mockServices.httpAuth.factory(),
    mockServices.permissions.factory({
      result:
        options.permission === 'deny'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }),
    catalogServiceMock.factory({ entities: options.entities }),
  ];
}
