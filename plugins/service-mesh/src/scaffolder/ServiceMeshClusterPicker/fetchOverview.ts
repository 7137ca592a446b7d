import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { OverviewResponse } from '@internal/plugin-service-mesh-common';

/**
 * `GET /api/service-mesh/overview`, directly through discovery and fetch: the scaffolder page may not have the
 * service-mesh plugin's own API registered, and fetchApi adds the user's token.
 */
export async function fetchOverview(apis: {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}): Promise<OverviewResponse> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('service-mesh');
  const response = await apis.fetchApi.fetch(`${baseUrl}/overview`);
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as OverviewResponse;
}
