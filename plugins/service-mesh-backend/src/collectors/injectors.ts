/*
 * The sidecar injector's config per revision: ConfigMap `istio-sidecar-injector` (default revision) or
 * `istio-sidecar-injector-<rev>` in istio-system, key `config` (pkg/kube/inject/inject.go Config, UnmarshalConfig).
 * Only what injectRequired reads is kept: `policy`, `neverInjectSelector`, `alwaysInjectSelector` (the templates
 * are large and not needed).
 */
import { parse } from 'yaml';
import {
  InjectorConfig,
  injectorConfigSchema,
} from '@internal/plugin-service-mesh-common';
import {
  isRecord,
  mapEach,
  MappingContext,
  MalformedError,
  optionalRecord,
} from './objects';

const PREFIX = 'istio-sidecar-injector';

export function mapInjectors(
  configMaps: unknown[],
  ctx: MappingContext,
): InjectorConfig[] {
  return mapEach(configMaps, 'ConfigMap', ctx, (obj, meta) => {
    if (meta.name !== PREFIX && !meta.name.startsWith(`${PREFIX}-`))
      return undefined;
    const data = optionalRecord(obj.data, 'data') ?? {};
    if (typeof data.config !== 'string') return undefined;
    let config: unknown;
    try {
      config = parse(data.config);
    } catch (error) {
      throw new MalformedError(
        `data.config is not valid YAML: ${(error as Error).message}`,
      );
    }
    if (!isRecord(config))
      throw new MalformedError('data.config is not a YAML mapping');
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
