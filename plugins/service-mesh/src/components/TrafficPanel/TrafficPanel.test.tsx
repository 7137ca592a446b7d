import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  DEFAULT_TRAFFIC_THRESHOLDS,
  type EntityTrafficResponse,
} from '@internal/plugin-service-mesh-common';
import { ServiceMeshClient } from '../../api';
import { renderWithMeshApis } from '../../__testUtils__';
import { TrafficPanel } from './TrafficPanel';
import { entityTraffic } from './trafficFixtures';

const baseUrl = 'http://localhost:7007/api/service-mesh';
const ENTITY = 'component:default/product-service';

describe('TrafficPanel', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const api = new ServiceMeshClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  /** Answers /traffic with `body(window)`, recording the windows asked for. */
  function serve(body: (window: string) => object, status = 200) {
    const windows: string[] = [];
    server.use(
      http.get(`${baseUrl}/traffic`, ({ request }) => {
        const url = new URL(request.url);
        expect(url.searchParams.get('entityRef')).toBe(ENTITY);
        const window = url.searchParams.get('window') ?? '';
        windows.push(window);
        return HttpResponse.json(body(window), { status });
      }),
    );
    return windows;
  }

  function noData(
    status: EntityTrafficResponse['status'],
    reason: string,
  ): EntityTrafficResponse {
    return {
      status,
      reason,
      window: '5m',
      generatedAt: '2026-01-20T10:00:00.000Z',
      thresholds: DEFAULT_TRAFFIC_THRESHOLDS,
      entityRef: ENTITY,
      services: [],
      findings: [],
    };
  }

  it('puts the actual split next to the expected one and highlights large differences', async () => {
    serve(() => entityTraffic());
    await renderWithMeshApis(<TrafficPanel entityRef={ENTITY} />, api);

    const section = await screen.findByRole('region', {
      name: 'Live traffic of global-svc/product-service',
    });
    expect(
      within(section).getByRole('heading', {
        name: 'global-svc/product-service',
      }),
    ).toBeInTheDocument();
    // Rate, errors, latency local vs cross-cluster.
    expect(within(section).getByText('78/s')).toBeInTheDocument();
    expect(within(section).getByText('2.5%')).toBeInTheDocument();
    const latency = within(section).getByRole('table', {
      name: 'Latency of product-service',
    });
    expect(
      within(latency).getByRole('row', { name: /Local/ }),
    ).toHaveTextContent('Local (same cluster)12 ms40 ms');
    expect(
      within(latency).getByRole('row', { name: /Cross-cluster/ }),
    ).toHaveTextContent('Cross-cluster24 ms88 ms');

    const split = within(section).getByRole('table', {
      name: /Actual split of global-svc\/product-service/,
    });
    const rows = within(split).getAllByRole('row');
    expect(rows[0]).toHaveTextContent(
      'Client cluster→ cluster1→ cluster2→ cluster3Expected by',
    );
    const cluster1 = within(split).getByRole('row', { name: /^cluster1/ });
    // The row header comes first.
    const cells = within(cluster1).getAllByRole('cell').slice(1);
    expect(cells[0]).toHaveTextContent('34%expected 70%▼ −36 pts13.6/s');
    // 13 points off: within the threshold, not highlighted.
    expect(cells[1]).toHaveTextContent('33%expected 20%13.2/s');
    expect(cells[1]).not.toHaveTextContent('pts');
    expect(cells[2]).toHaveTextContent('33%expected 10%▲ +23 pts13.2/s5xx 5%');
    expect(cells[3]).toHaveTextContent(
      'distributeDestinationRule global-svc/product-service in cluster1',
    );
    // Too few requests from cluster3: shown, not compared.
    const cluster3 = within(split).getByRole('row', { name: /^cluster3/ });
    expect(cluster3).toHaveTextContent('too few requests to compare');
    expect(cluster3).not.toHaveTextContent('pts');

    expect(
      within(section).getByText(/MESH080 Live traffic differs/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /from http:\/\/127.0.0.1:8428 \(the ServiceMesh resource\)/,
      ),
    ).toBeInTheDocument();
  });

  it.each([
    [
      'unconfigured',
      'No metrics store is configured: set serviceMesh.metrics.url.',
      /serviceMesh\.metrics\.url in app-config/,
    ],
    [
      'unreachable',
      'Cannot reach the metrics store at http://127.0.0.1:8428: ECONNREFUSED',
      /did not answer in time/,
    ],
    [
      'unauthorized',
      'The metrics store at http://vm rejected the credentials (HTTP 401)',
      /Check serviceMesh\.metrics\.bearerToken/,
    ],
    ['error', 'HTTP 500: query failed', /answered with an error/],
  ] as const)(
    'shows “no live data” with the reason when the store is %s',
    async (status, reason, advice) => {
      serve(() => noData(status, reason));
      await renderWithMeshApis(<TrafficPanel entityRef={ENTITY} />, api);
      const state = (await screen.findByText('No live data')).closest(
        '[role="status"]',
      ) as HTMLElement;
      expect(within(state).getByText('No live data')).toBeInTheDocument();
      expect(within(state).getByText(reason)).toBeInTheDocument();
      expect(within(state).getByText(advice)).toBeInTheDocument();
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
      // Informational, not an error panel.
      expect(screen.queryByText(/could not be loaded/)).not.toBeInTheDocument();
    },
  );

  it('asks again for the window the user picks', async () => {
    const windows = serve(window =>
      entityTraffic(window as EntityTrafficResponse['window']),
    );
    await renderWithMeshApis(<TrafficPanel entityRef={ENTITY} />, api);
    await screen.findByRole('region', {
      name: 'Live traffic of global-svc/product-service',
    });
    expect(windows).toEqual(['5m']);
    expect(screen.getByRole('button', { name: '5m' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await userEvent.click(screen.getByRole('button', { name: '1h' }));
    expect(await screen.findByText(/over the last 1h$/)).toBeInTheDocument();
    expect(windows).toEqual(['5m', '1h']);
    expect(screen.getByRole('button', { name: '1h' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    // Clicking the selected window again keeps it.
    await userEvent.click(screen.getByRole('button', { name: '1h' }));
    expect(screen.getByRole('button', { name: '1h' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('says when the entity has no service, and when a service had no requests', async () => {
    serve(() => ({ ...entityTraffic(), services: [], findings: [] }));
    const { unmount } = await renderWithMeshApis(
      <TrafficPanel entityRef={ENTITY} />,
      api,
    );
    expect(
      await screen.findByText('This entity has no mesh Service to measure.'),
    ).toBeInTheDocument();
    unmount();

    const idle = entityTraffic();
    idle.services[0] = {
      ...idle.services[0],
      requests: 0,
      requestsPerSecond: 0,
      sources: [],
    };
    serve(() => ({ ...idle, findings: [] }));
    await renderWithMeshApis(<TrafficPanel entityRef={ENTITY} />, api);
    expect(
      await screen.findByText('No requests to this service in the window.'),
    ).toBeInTheDocument();
  });

  it('shows a backend failure as a warning inside the panel', async () => {
    serve(
      () => ({
        error: { name: 'Error', message: 'snapshot store unavailable' },
        request: { method: 'GET', url: '/api/service-mesh/traffic' },
        response: { statusCode: 500 },
      }),
      500,
    );
    await renderWithMeshApis(<TrafficPanel entityRef={ENTITY} />, api);
    expect(
      await screen.findByText('Warning: Live traffic could not be loaded'),
    ).toBeInTheDocument();
    expect(screen.getByText('snapshot store unavailable')).toBeInTheDocument();
  });
});
