import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  DEFAULT_TRAFFIC_THRESHOLDS,
  type MeshTrafficResponse,
} from '@internal/plugin-service-mesh-common';
import { ServiceMeshClient } from '../../api';
import { renderWithMeshApis } from '../../__testUtils__';
import { meshTraffic } from '../TrafficPanel/trafficFixtures';
import { MeshTrafficMatrix } from './MeshTrafficMatrix';

const baseUrl = 'http://localhost:7007/api/service-mesh';

describe('MeshTrafficMatrix', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const api = new ServiceMeshClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  function serve(body: (window: string) => MeshTrafficResponse) {
    const windows: string[] = [];
    server.use(
      http.get(`${baseUrl}/traffic/mesh`, ({ request }) => {
        const window = new URL(request.url).searchParams.get('window') ?? '';
        windows.push(window);
        return HttpResponse.json(body(window));
      }),
    );
    return windows;
  }

  it('shows requests per second and 5xx between every pair of clusters', async () => {
    serve(() => meshTraffic());
    await renderWithMeshApis(<MeshTrafficMatrix />, api);
    const table = await screen.findByRole('table', {
      name: 'Cluster-to-cluster traffic',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows.map(r => r.textContent)).toEqual([
      'From \\ Tocluster1cluster2cluster3',
      'cluster186/s5xx 0.2%8/s5xx 0.2%4/s5xx 4%',
      'cluster3––12/s5xx 0%',
    ]);
    expect(screen.getByText(/1 × MESH080 in this window/)).toBeInTheDocument();
  });

  it('asks for another window', async () => {
    const windows = serve(window =>
      meshTraffic(window as MeshTrafficResponse['window']),
    );
    await renderWithMeshApis(<MeshTrafficMatrix />, api);
    await screen.findByRole('table', { name: 'Cluster-to-cluster traffic' });
    await userEvent.click(screen.getByRole('button', { name: '24h' }));
    expect(await screen.findByText(/over the last 24h$/)).toBeInTheDocument();
    expect(windows).toEqual(['5m', '24h']);
  });

  it('shows “no live data” when the store is down, and says when nothing was measured', async () => {
    serve(window => ({
      status: 'unreachable',
      reason:
        'The metrics store at http://127.0.0.1:8428 did not answer within 5s',
      window: window as MeshTrafficResponse['window'],
      generatedAt: '2026-01-20T10:00:00.000Z',
      thresholds: DEFAULT_TRAFFIC_THRESHOLDS,
      clusters: [],
      edges: [],
      findings: [],
    }));
    const { unmount } = await renderWithMeshApis(<MeshTrafficMatrix />, api);
    expect(await screen.findByText('No live data')).toBeInTheDocument();
    expect(screen.getByText(/did not answer within 5s/)).toBeInTheDocument();
    unmount();

    serve(() => ({ ...meshTraffic(), edges: [], findings: [] }));
    await renderWithMeshApis(<MeshTrafficMatrix />, api);
    expect(
      await screen.findByText(
        'No requests between mesh services in the last 5m.',
      ),
    ).toBeInTheDocument();
  });
});
