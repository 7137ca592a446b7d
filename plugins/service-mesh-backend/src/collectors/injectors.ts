/*
 * The sidecar injector's config per revision: ConfigMap `istio-sidecar-injector` (default revision) or
 * `istio-sidecar-injector-<rev>` in istio-system, key `config` (pkg/kube/inject/inject.go Config, UnmarshalConfig).
 * Only what injectRequired reads is kept: `policy`, `neverInjectSelector`, `alwaysInjectSelector` (the templates
 * are large and not needed).
 */
import {
  InjectorConfig,
  injectorConfigSchema,
} from '@internal/plugin-service-mesh-common';
import { configMapYaml } from './configMapYaml';
import { mapEach, MappingContext, MalformedError } from './objects';

const PREFIX = 'istio-sidecar-injector';

export function mapInjectors(
  configMaps: unknown[],
  ctx: MappingContext,
): InjectorConfig[] {
  return mapEach(configMaps, 'ConfigMap', ctx, (obj, meta) => {
    if (meta.name !== PREFIX && !meta.name.startsWith(`${PREFIX}-`))
      return undefined;
    const config = configMapYaml(obj, 'config');
    if (!config) return undefined;
    const parsed = injectorConfigSchema.parse({
      revision:
        meta.name === PREFIX ? 'default' : meta.name.slice(PREFIX.length + 1),
      configMap: meta.name,
      policy: config.policy,
      neverInjectSelector: config.neverInjectSelector,
      alwaysInjectSelector: config.alwaysInjectSelector,
    });
    if (typeof parsed !== 'object')
      throw new MalformedError('data.config has no usable injector settings');
    return parsed as InjectorConfig;
  });
}
