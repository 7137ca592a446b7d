import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ClustersResponse,
  EntityResponse,
  EntityTrafficResponse,
  FindingsTrendResponse,
  FindingsTrendWindow,
  MeshTrafficResponse,
  OverviewResponse,
  RefreshProgress,
  TimeSeriesRange,
  TrafficTimeSeriesResponse,
  TrafficWindow,
} from '@internal/plugin-service-mesh-common';

/**
 * Reads the mesh snapshot from the service-mesh backend (`/api/service-mesh`).
 *
 * @public
 */
export interface ServiceMeshApi {
  /** Every configured cluster with its collection status. */
  getClusters(): Promise<ClustersResponse>;
  /** The whole mesh: clusters, control planes, gateways, remote secrets, root CA, localities and findings. */
  getOverview(): Promise<OverviewResponse>;
  /** The mesh as one catalog entity sees it; `entityRef` is `kind:namespace/name`. */
  getEntity(entityRef: string): Promise<EntityResponse>;
  /**
   * Starts a refresh of every cluster (needs the `service-mesh.refresh` permission); resolves at once with the
   * progress (`202`), which {@link ServiceMeshApi.getRefreshProgress} follows.
   */
  refresh(): Promise<RefreshProgress>;
  /** The refresh in progress per cluster, or the last one. */
  getRefreshProgress(): Promise<RefreshProgress>;
  /** Live traffic of the entity's services over a window: actual next to expected split, rate, errors, latency. */
  getTraffic(
    entityRef: string,
    window: TrafficWindow,
  ): Promise<EntityTrafficResponse>;
  /** Request rate, 5xx ratio and p95 per cluster pair over time (range queries of the metrics store). */
  getTrafficTimeSeries(
    range: TimeSeriesRange,
  ): Promise<TrafficTimeSeriesResponse>;
  /** Live cluster-to-cluster traffic of the whole mesh over a window. */
  getMeshTraffic(window: TrafficWindow): Promise<MeshTrafficResponse>;
  /** Finding counts of each snapshot published in the window, oldest first. */
  getFindingsTrend(window: FindingsTrendWindow): Promise<FindingsTrendResponse>;
}

/**
 * The {@link ServiceMeshApi} reference.
 *
 * @public
 */
export const serviceMeshApiRef = createApiRef<ServiceMeshApi>({
  id: 'plugin.service-mesh.service',
});
