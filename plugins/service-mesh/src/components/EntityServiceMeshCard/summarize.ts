import type {
  ClusterStatus,
  EntityResponse,
  FindingSeverity,
} from '@internal/plugin-service-mesh-common';
import { worstSeverity } from '../../utils/severity';

export interface EntityMeshSummary {
  clusters: Array<{ name: string; status: ClusterStatus }>;
  pods: number;
  withSidecar: number;
  /** mTLS mode → clusters in that mode. */
  mtls: Array<{ mode: string; clusters: string[] }>;
  ready: number;
  notReady: number;
  findings: number;
  worst?: FindingSeverity;
}

export function summarizeEntity(response: EntityResponse): EntityMeshSummary {
  const mtls = new Map<string, string[]>();
  for (const view of response.clusters) {
    mtls.set(view.mtlsMode, [...(mtls.get(view.mtlsMode) ?? []), view.cluster]);
  }
  return {
    clusters: response.clusters.map(view => ({
      name: view.cluster,
      status: view.status,
    })),
    pods: response.clusters.reduce((n, v) => n + v.sidecarCoverage.pods, 0),
    withSidecar: response.clusters.reduce(
      (n, v) => n + v.sidecarCoverage.withSidecar,
      0,
    ),
    mtls: [...mtls.entries()].map(([mode, clusters]) => ({ mode, clusters })),
    ready: response.endpointDistribution.reduce((n, r) => n + r.ready, 0),
    notReady: response.endpointDistribution.reduce((n, r) => n + r.notReady, 0),
    findings: response.findings.length,
    worst: worstSeverity(response.findings),
  };
}
