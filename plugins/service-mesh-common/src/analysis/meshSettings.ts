/*
 * The mesh config settings the Istio rules depend on, from the cluster's default revision (else its first mesh
 * config), with Istio's defaults (pkg/config/mesh DefaultMeshConfig: rootNamespace istio-system; exportTo
 * defaults `*`, push_context.go initDefaultExportMaps).
 */
import { ISTIO_SYSTEM_NAMESPACE } from '../constants';
import type { MeshConfigInfo } from '../types/snapshot';
import { asArray, asString, asStringArray, isRecord } from '../util/guards';

export interface MeshSettings {
  rootNamespace: string;
  defaultDestinationRuleExportTo: string[];
  defaultVirtualServiceExportTo: string[];
}

export function meshSettings(
  meshConfigs: MeshConfigInfo[] | undefined,
): MeshSettings {
  const configs = asArray(meshConfigs).filter(
    isRecord,
  ) as unknown as MeshConfigInfo[];
  const config = configs.find(c => c.revision === 'default') ?? configs[0];
  const orPublic = (value: unknown) => {
    const list = asStringArray(value);
    return list.length > 0 ? list : ['*'];
  };
  return {
    rootNamespace: asString(config?.rootNamespace) ?? ISTIO_SYSTEM_NAMESPACE,
    defaultDestinationRuleExportTo: orPublic(
      config?.defaultDestinationRuleExportTo,
    ),
    defaultVirtualServiceExportTo: orPublic(
      config?.defaultVirtualServiceExportTo,
    ),
  };
}
