/*
 * Mesh ConfigMaps: `istio` for the default revision, `istio-<rev>` for a revisioned install. Only ConfigMaps with
 * a `mesh` key count: istio-system also holds istio-sidecar-injector, istio-ca-root-cert, leader-election maps…
 */
import { parse } from 'yaml';
import {
  MeshConfigInfo,
  MeshNetworks,
} from '@internal/plugin-service-mesh-common';
import { configMapYaml } from './configMapYaml';
import {
  compact,
  isRecord,
  mapEach,
  MappingContext,
  optionalRecord,
} from './objects';

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
    const data = optionalRecord(obj.data, 'data') ?? {};
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
      meshNetworks:
        typeof data.meshNetworks === 'string'
          ? readMeshNetworks(data.meshNetworks, obj, ctx)
          : undefined,
    });
  });
}

/**
 * `meshNetworks` of the same ConfigMap (istio.mesh.v1alpha1.MeshNetworks): networks → endpoints (fromRegistry,
 * fromCidr) and gateways (registryServiceName or address, port). Unreadable: recorded, and left out.
 */
export function readMeshNetworks(
  yaml: string,
  obj: unknown,
  ctx: MappingContext,
): MeshNetworks | undefined {
  let parsed: unknown;
  try {
    parsed = parse(yaml);
  } catch (error) {
    ctx.malformed(
      'ConfigMap',
      obj,
      `data.meshNetworks is not valid YAML: ${(error as Error).message}`,
    );
    return undefined;
  }
  const networks =
    isRecord(parsed) && isRecord(parsed.networks) ? parsed.networks : {};
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);
  const out: MeshNetworks['networks'] = Object.entries(networks)
    .filter(([, n]) => isRecord(n))
    .map(([name, n]) => {
      const network = n as Record<string, unknown>;
      const endpoints = list(network.endpoints);
      return {
        name,
        fromRegistries: endpoints.flatMap(e => str(e.fromRegistry) ?? []),
        fromCidrs: endpoints.flatMap(e => str(e.fromCidr) ?? []),
        gateways: list(network.gateways).flatMap(g => {
          const port = typeof g.port === 'number' ? g.port : Number(g.port);
          if (!Number.isInteger(port) || port <= 0) return [];
          const registryServiceName = str(g.registryServiceName);
          const address = str(g.address);
          if (!registryServiceName && !address) return [];
          return [
            {
              ...(registryServiceName ? { registryServiceName } : {}),
              ...(address ? { address } : {}),
              port,
            },
          ];
        }),
      };
    });
  return out.length > 0 ? { networks: out } : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A list of strings, or undefined when absent or not a list (Istio then uses its default). */
function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string' && v !== '');
}
