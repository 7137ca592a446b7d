/*
 * Which network a workload, and a cluster, is on. istio pilot/pkg/serviceregistry/kube/controller/controller.go
 * Controller.Network: 1. the pod's `topology.istio.io/network` label (the injector writes it from
 * values.global.network), 2. the system namespace's label (network.go setNetworkFromNamespace), 3. meshNetworks
 * (fromRegistry / fromCidr, not collected). For a cluster the snapshot also holds what usually becomes the pod
 * label: the proxies' network from the mesh config (defaultConfig.proxyMetadata ISTIO_META_NETWORK); last comes
 * the east-west gateway Service's label, which says whose gateway it is rather than where the workloads are. The
 * ServiceMesh resources of the management cluster (Alauda's values.global.network) are read across clusters by
 * serviceMeshNetworks.
 */
import { LABELS } from '../constants';
import type { ClusterMeshData, ClusterSnapshot } from '../types/snapshot';

export interface NetworkDeclaration {
  network: string;
  /** Where it is declared, for messages: `namespace istio-system`, `mesh config istio`, … */
  source: string;
  kind: 'system-namespace' | 'mesh-config' | 'gateway';
}

/** Where the cluster declares its workloads' network (istio-system label, mesh config), in precedence order. */
function workloadDeclarations(
  data: ClusterMeshData | undefined,
): NetworkDeclaration[] {
  if (!data) return [];
  const out: NetworkDeclaration[] = [];
  if (data.systemNamespaceNetwork) {
    out.push({
      network: data.systemNamespaceNetwork,
      source: 'namespace istio-system',
      kind: 'system-namespace',
    });
  }
  for (const mc of data.meshConfigs ?? []) {
    if (mc.network)
      out.push({
        network: mc.network,
        source: `mesh config ${mc.configMap}`,
        kind: 'mesh-config',
      });
  }
  return out;
}

/** Every place the cluster's data declares a network, in precedence order (the gateways' labels last). */
export function networkDeclarations(
  data: ClusterMeshData | undefined,
): NetworkDeclaration[] {
  if (!data) return [];
  const out = workloadDeclarations(data);
  for (const gw of data.eastWestGateways ?? []) {
    if (gw.network)
      out.push({
        network: gw.network,
        source: `east-west gateway ${gw.namespace}/${gw.name}`,
        kind: 'gateway',
      });
  }
  return out;
}

/** The network the cluster's workloads are declared on (a gateway's label does not count). */
export function workloadsNetwork(
  data: ClusterMeshData | undefined,
): NetworkDeclaration | undefined {
  return workloadDeclarations(data)[0];
}

/** Controller.Network for one workload: its own label, else its cluster's declaration. */
export function workloadNetwork(
  labels: Record<string, string> | undefined,
  data: ClusterMeshData | undefined,
): string | undefined {
  return labels?.[LABELS.network] || workloadsNetwork(data)?.network;
}

/** The network of a cluster's data: the first declaration, the gateway's label as the last resort. */
export function dataNetwork(
  data: ClusterMeshData | undefined,
): string | undefined {
  return networkDeclarations(data)[0]?.network;
}

/**
 * The `topology.istio.io/network` of a cluster: the one the snapshot gives the cluster (configured, or derived
 * by the backend with dataNetwork and serviceMeshNetworks), else what its data declares.
 */
export function clusterNetwork(cluster: ClusterSnapshot): string | undefined {
  return cluster.network ?? dataNetwork(cluster.data);
}

/**
 * The networks that ServiceMesh resources (held by the management cluster) declare for their business clusters:
 * cluster name → `spec…istioNetwork`. A member without a network of its own takes this one.
 */
export function serviceMeshNetworks(
  clusters: ClusterSnapshot[],
): Map<string, string> {
  const declared = new Map<string, string>();
  for (const c of clusters) {
    for (const mesh of c.data?.serviceMeshes ?? []) {
      if (mesh.multiCluster?.istioNetwork && !declared.has(mesh.cluster))
        declared.set(mesh.cluster, mesh.multiCluster.istioNetwork);
    }
  }
  return declared;
}
