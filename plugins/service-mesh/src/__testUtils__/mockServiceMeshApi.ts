import type { ServiceMeshApi } from '../api';

/** A ServiceMeshApi whose methods are jest mocks that never resolve unless a test says otherwise. */
export function mockServiceMeshApi(
  overrides: Partial<ServiceMeshApi> = {},
): jest.Mocked<ServiceMeshApi> {
  const pending = () => new Promise<never>(() => {});
  return {
    getClusters: jest.fn(pending),
    getOverview: jest.fn(pending),
    getEntity: jest.fn(pending),
    refresh: jest.fn(pending),
    getRefreshProgress: jest.fn(pending),
    getTraffic: jest.fn(pending),
    getMeshTraffic: jest.fn(pending),
    getTrafficTimeSeries: jest.fn(pending),
    getFindingsTrend: jest.fn(pending),
    ...overrides,
  } as jest.Mocked<ServiceMeshApi>;
}
