/*
 * The backend plugin's settings. Which clusters are read, and how, is cluster access's business
 * (the plugin-service-mesh-node package: the Kubernetes plugin's locators and auth strategies, narrowed by
 * serviceMesh.members/exclude); this adds the refresh interval.
 */
import { Config } from '@backstage/config';
import {
  positiveSeconds,
  readServiceMeshClusterSettings,
  ServiceMeshClusterSettings,
} from '@internal/plugin-service-mesh-node';

/**
 * The plugin's settings, with defaults applied.
 *
 * @public
 */
export interface ServiceMeshConfig extends ServiceMeshClusterSettings {
  refreshIntervalSeconds: number;
  /** `poll`: every refresh lists every resource. `watch`: list once, then watch (snapshot/watch). */
  mode: ServiceMeshMode;
}

/** @public */
export type ServiceMeshMode = 'watch' | 'poll';

/** Watch by default (issue 17): list once, then watch; `poll` stays for API servers that cut long watches. */
export const DEFAULT_MODE: ServiceMeshMode = 'watch';

export const DEFAULT_REFRESH_INTERVAL_SECONDS = 30;

/** @public */
export function readServiceMeshConfig(config: Config): ServiceMeshConfig {
  const mode = config.getOptionalString('serviceMesh.mode') ?? DEFAULT_MODE;
  if (mode !== 'watch' && mode !== 'poll') {
    throw new Error(
      `Invalid serviceMesh.mode '${mode}': expected 'watch' or 'poll'`,
    );
  }
  return {
    mode,
    ...readServiceMeshClusterSettings(config),
    refreshIntervalSeconds: positiveSeconds(
      config,
      'serviceMesh.refreshIntervalSeconds',
      DEFAULT_REFRESH_INTERVAL_SECONDS,
    ),
  };
}
