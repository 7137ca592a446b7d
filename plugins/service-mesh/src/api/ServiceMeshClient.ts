import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
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
import { ServiceMeshApi } from './ServiceMeshApi';

/**
 * Default {@link ServiceMeshApi}: calls the backend through `fetchApi`, which adds the user's Backstage token.
 *
 * @public
 */
export class ServiceMeshClient implements ServiceMeshApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getClusters(): Promise<ClustersResponse> {
    return this.#request('/clusters');
  }

  getOverview(): Promise<OverviewResponse> {
    return this.#request('/overview');
  }

  getEntity(entityRef: string): Promise<EntityResponse> {
    return this.#request(`/entity?entityRef=${encodeURIComponent(entityRef)}`);
  }

  refresh(): Promise<RefreshProgress> {
    return this.#request('/refresh', { method: 'POST' });
  }

  getRefreshProgress(): Promise<RefreshProgress> {
    return this.#request('/refresh');
  }

  getTraffic(
    entityRef: string,
    window: TrafficWindow,
  ): Promise<EntityTrafficResponse> {
    const query = new URLSearchParams({ entityRef, window });
    return this.#request(`/traffic?${query}`);
  }

  getTrafficTimeSeries(
    range: TimeSeriesRange,
  ): Promise<TrafficTimeSeriesResponse> {
    return this.#request(
      `/traffic/timeseries?${new URLSearchParams({ range })}`,
    );
  }

  getMeshTraffic(window: TrafficWindow): Promise<MeshTrafficResponse> {
    return this.#request(`/traffic/mesh?${new URLSearchParams({ window })}`);
  }

  getFindingsTrend(
    window: FindingsTrendWindow,
  ): Promise<FindingsTrendResponse> {
    return this.#request(`/findings/trend?${new URLSearchParams({ window })}`);
  }

  async #request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('service-mesh');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
