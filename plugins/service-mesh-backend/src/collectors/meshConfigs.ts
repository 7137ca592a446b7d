/*
 * Mesh ConfigMaps: `istio` for the default revision, `istio-<rev>` for a revisioned install. Only ConfigMaps with
 * a `mesh` key count: istio-system also holds istio-sidecar-injector, istio-ca-root-cert, leader-election maps…
 */
import { MeshConfigInfo } from '@internal/plugin-service-mesh-common';
import { configMapYaml } from './configMapYaml';
import { compact, isRecord, mapEach, MappingContext } from './objects';

/** Istio's default trust domain, used when the mesh config does not set one. */
const DEFAULT_TRUST_DOMAIN = 'cluster.local';

export function mapMeshConfigs(
  configMaps: unknown[],
  ctx: MappingContext,
): MeshConfigInfo[] {
  return mapEach(configMaps, 'ConfigMap', ctx, (obj, meta) => {
    if (meta.name !== 'istio' && !meta.name.startsWith('istio-'))
      return undefined;
    const mesh = configMapYaml(obj, 'mesh');
    if (!mesh) return undefined;
    const defaultConfig = isRecord(mesh.defaultConfig)
      ? mesh.defaultConfig
      : {};
    const proxyMetadata = isRecord(defaultConfig.proxyMetadata)
      ? defaultConfig.proxyMetadata
      : {};
    const localityLb = isRecord(mesh.localityLbSetting)
      ? mesh.localityLbSetting
      : undefined;

    return compact<MeshConfigInfo>({
      revision:
        meta.name === 'istio' ? 'default' : meta.name.slice('istio-'.length),
      namespace: meta.namespace ?? '',
      configMap: meta.name,
      meshId: str(defaultConfig.meshId) ?? str(mesh.meshId),
      trustDomain: str(mesh.trustDomain) ?? DEFAULT_TRUST_DOMAIN,
      network: str(proxyMetadata.ISTIO_META_NETWORK),
      localityLbEnabled:
        typeof localityLb?.enabled === 'boolean' ? localityLb.enabled : true,
      enableAutoMtls:
        typeof mesh.enableAutoMtls === 'boolean' ? mesh.enableAutoMtls : true,
      rootNamespace: str(mesh.rootNamespace),
      defaultDestinationRuleExportTo: strings(
        mesh.defaultDestinationRuleExportTo,
      ),
      defaultVirtualServiceExportTo: strings(
        mesh.defaultVirtualServiceExportTo,
      ),
    });
  });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A list of strings, or undefined when absent or not a list (Istio then uses its default). */
function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string' && v !== '');
}
