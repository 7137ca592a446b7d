import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import {
  caMismatchOverview,
  demoOverview,
  emptyOverview,
  OTHER_CA_FINGERPRINT,
  ROOT_CA_FINGERPRINT,
} from '../../__fixtures__';
import type { ServiceMeshApi } from '../../api';
import {
  mockServiceMeshApi,
  renderWithMeshApis,
  responseError,
} from '../../__testUtils__';
import { REFRESH_DENIED_TEXT } from '../RefreshButton';
import { ServiceMeshPage } from './ServiceMeshPage';

function renderPage(
  api: ServiceMeshApi,
  options: { allowRefresh?: boolean; route?: string; deny?: string[] } = {},
) {
  // Mounted as an app mounts it (FlatRoutes: `/service-mesh/*`), so its own routes resolve.
  return renderWithMeshApis(
    <Routes>
      <Route path="/service-mesh/*" element={<ServiceMeshPage />} />
    </Routes>,
    api,
    {
      allowRefresh: options.allowRefresh,
      deny: options.deny,
      routeEntries: [options.route ?? '/service-mesh'],
    },
  );
}

// `hidden`: an open dialog hides the rest of the page from the accessibility tree.
const location = () =>
  screen.getByRole('status', { name: 'Current location', hidden: true });

function rowOf(table: HTMLElement, header: string): HTMLElement {
  const cell = within(table).getByRole('rowheader', {
    name: new RegExp(`^${header}`),
  });
  return cell.closest('tr') as HTMLElement;
}

describe('ServiceMeshPage', () => {
  it('shows a loading skeleton while the overview loads', async () => {
    await renderPage(mockServiceMeshApi());
    expect(
      screen.getByRole('heading', { level: 1, name: 'Service Mesh' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Loading the service mesh…')).toBeInTheDocument();
  });

  it('shows the permission-required panel, and asks nothing of the backend, without service-mesh.read', async () => {
    const api = mockServiceMeshApi({
      getOverview: jest.fn().mockResolvedValue(demoOverview),
    });
    await renderPage(api, { deny: ['service-mesh.read'] });
    expect(await screen.findByText(/Permission required/)).toBeInTheDocument();
    expect(
      screen.getByText(/grant you the service-mesh\.read permission/),
    ).toBeInTheDocument();
    expect(api.getOverview).not.toHaveBeenCalled();
    expect(screen.queryByText(/403/)).not.toBeInTheDocument();
  });

  it('shows the same panel, not a raw 403, when the backend refuses the read', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'Permission service-mesh.read denied',
    );
    await renderPage(
      mockServiceMeshApi({ getOverview: jest.fn().mockRejectedValue(error) }),
    );
    expect(await screen.findByText(/Permission required/)).toBeInTheDocument();
    expect(screen.queryByText(/403: NotAllowedError/)).not.toBeInTheDocument();
  });

  it('shows backend errors in a ResponseErrorPanel', async () => {
    const error = await responseError(
      503,
      'ServiceUnavailableError',
      'The mesh snapshot is not ready yet',
    );
    await renderPage(
      mockServiceMeshApi({ getOverview: jest.fn().mockRejectedValue(error) }),
    );
    expect(
      (await screen.findAllByText(/The mesh snapshot is not ready yet/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getAllByText(/503: ServiceUnavailableError/).length,
    ).toBeGreaterThan(0);
  });

  it('explains what to configure when there are no clusters', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(emptyOverview),
      }),
    );
    expect(await screen.findByText('No mesh clusters')).toBeInTheDocument();
    expect(
      screen.getByText(/kubernetes\.clusterLocatorMethods/),
    ).toBeInTheDocument();
  });

  it('shows every cluster with ServiceMesh, control planes, gateway health and stale state', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(demoOverview),
      }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Clusters' }),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Clusters of the mesh' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Cluster',
      'Status',
      'Region',
      'Network',
      'ServiceMesh',
      'Control planes',
      'East-west gateway',
    ]);

    const global = rowOf(table, 'global');
    expect(within(global).getByText('Management')).toBeInTheDocument();
    expect(within(global).getByText('Absent')).toBeInTheDocument();

    const cluster1 = rowOf(table, 'cluster1');
    expect(within(cluster1).getByText('Healthy')).toBeInTheDocument();
    expect(within(cluster1).getByText('Deployed')).toBeInTheDocument();
    expect(within(cluster1).getByText('192.0.2.11')).toBeInTheDocument();
    expect(
      within(cluster1).getByText('1/1 replicas ready'),
    ).toBeInTheDocument();
    expect(
      within(cluster1).getByText(/15021, 15443, 15012, 15017/),
    ).toBeInTheDocument();
    expect(within(cluster1).getByText('network1')).toBeInTheDocument();
    expect(within(cluster1).getByText('us-east-1')).toBeInTheDocument();
    expect(
      within(cluster1).getByText(/1\.22\.4 \(1\/1 ready\)/),
    ).toBeInTheDocument();

    const cluster2 = rowOf(table, 'cluster2');
    expect(within(cluster2).getByText('Stale')).toBeInTheDocument();
    expect(
      within(cluster2).getByText('Stale · last success 2026-05-31 23:42 UTC'),
    ).toBeInTheDocument();
    expect(
      within(cluster2).getByText(
        'MESH090: connect ECONNREFUSED 127.0.0.1:6444',
      ),
    ).toBeInTheDocument();

    const cluster3 = rowOf(table, 'cluster3');
    expect(within(cluster3).getByText('Degraded')).toBeInTheDocument();
    expect(
      within(cluster3).getByText('No external address'),
    ).toBeInTheDocument();
    // Upgrading: v4.0.20 while v4.0.21 is desired (MESH001).
    expect(within(cluster3).getByText(/desired v4\.0\.21/)).toBeInTheDocument();

    // The banner names the cluster that could not be read.
    expect(
      screen.getByText(/1 of 4 clusters could not be read/),
    ).toBeInTheDocument();
  });

  it('shows clusters that could never be read with their error', async () => {
    const [global, cluster1, cluster2, cluster3] = demoOverview.clusters;
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue({
          ...demoOverview,
          clusters: [
            global,
            cluster1,
            cluster2,
            {
              ...cluster3,
              status: 'unauthorized',
              lastSyncedAt: undefined,
              error: {
                code: 'MESH091',
                message:
                  'the server has asked for the client to provide credentials',
              },
            },
          ],
        }),
      }),
    );
    const table = await screen.findByRole('table', {
      name: 'Clusters of the mesh',
    });
    const cluster3Row = rowOf(table, 'cluster3');
    expect(within(cluster3Row).getByText('Unauthorized')).toBeInTheDocument();
    expect(cluster3Row).toHaveTextContent('Last success: never');
    expect(cluster3Row).toHaveTextContent(
      'MESH091: the server has asked for the client to provide credentials',
    );
    expect(
      screen.getByText(/2 of 4 clusters could not be read/),
    ).toBeInTheDocument();
  });

  it('highlights the missing remote secret in the matrix', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(demoOverview),
      }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Remote secrets' }),
    ).toBeInTheDocument();
    const matrix = screen.getByRole('table', { name: 'Remote secret matrix' });
    // Members only: the management cluster holds no remote secrets.
    expect(within(matrix).queryByText('global')).not.toBeInTheDocument();
    const missing = within(matrix).getAllByText('✗ Missing');
    expect(missing).toHaveLength(1);
    expect(missing[0].closest('tr')).toHaveTextContent(/^cluster2/);
    const cluster2 = rowOf(matrix, 'cluster2');
    const cells = within(cluster2).getAllByRole('cell');
    expect(cells.map(c => c.textContent)).toEqual([
      '✓ Yes',
      '—same cluster',
      '✗ Missing',
    ]);
    expect(
      screen.getByText(/Missing: cluster2 → cluster3/),
    ).toBeInTheDocument();
  });

  it('shows root-CA agreement and localities', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(demoOverview),
      }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Root CA' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('All 3 member clusters share one root CA.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`SHA-256 ${ROOT_CA_FINGERPRINT}`),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Root CA differs across clusters/),
    ).not.toBeInTheDocument();

    const localities = screen.getByRole('table', {
      name: 'Nodes per locality and cluster',
    });
    // core-components' Table has no row headers: the row is the one of the locality's cell.
    const eu1b = within(localities)
      .getByText('eu-west-1/eu-west-1b')
      .closest('tr') as HTMLElement;
    expect(
      within(eu1b)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['eu-west-1/eu-west-1b', '—', '—', '1']);
  });

  it('highlights a root-CA mismatch', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(caMismatchOverview),
      }),
    );
    expect(
      await screen.findByText(/Root CA differs across clusters/),
    ).toHaveAttribute('role', 'alert');
    const majority = screen.getByRole('region', {
      name: 'Root CA 1: cluster1, cluster2',
    });
    expect(majority).toHaveTextContent(ROOT_CA_FINGERPRINT);
    const odd = screen.getByRole('region', { name: 'Root CA 2: cluster3' });
    expect(odd).toHaveTextContent(OTHER_CA_FINGERPRINT);
    expect(within(odd).getByText('Mismatch')).toBeInTheDocument();
    expect(odd).toHaveTextContent('Expires 2026-06-15 00:00 UTC');
  });

  it('filters findings by severity, code, cluster and text, keeping the filter in the URL', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(demoOverview),
      }),
    );
    const table = await screen.findByRole('table', { name: 'Findings' });
    const codes = () =>
      within(table)
        .queryAllByRole('row')
        .slice(1)
        .map(row => within(row).queryAllByRole('cell')[1]?.textContent);
    // Most severe first.
    expect(codes()).toEqual([
      'MESH010',
      'MESH012',
      'MESH032',
      'MESH001',
      'MESH015',
      'MESH052',
      'MESH062',
      'MESH063',
    ]);

    await userEvent.selectOptions(screen.getByLabelText('Severity'), 'error');
    expect(codes()).toEqual(['MESH010', 'MESH012', 'MESH032']);
    expect(location()).toHaveTextContent('severity=error');

    await userEvent.selectOptions(screen.getByLabelText('Severity'), '');
    await userEvent.selectOptions(screen.getByLabelText('Cluster'), 'cluster2');
    expect(codes()).toEqual(['MESH010', 'MESH052', 'MESH063']);

    await userEvent.selectOptions(screen.getByLabelText('Code'), 'MESH063');
    expect(codes()).toEqual(['MESH063']);

    await userEvent.selectOptions(screen.getByLabelText('Code'), '');
    await userEvent.selectOptions(screen.getByLabelText('Cluster'), '');
    await userEvent.type(screen.getByLabelText('Search findings'), 'payments');
    expect(codes()).toEqual(['MESH062']);
    expect(location()).toHaveTextContent('q=payments');

    await userEvent.clear(screen.getByLabelText('Search findings'));
    await userEvent.type(
      screen.getByLabelText('Search findings'),
      'no such thing',
    );
    expect(
      within(table).getByText('No finding matches the filters.'),
    ).toBeInTheDocument();
  });

  it('opens a finding from the URL and closes it again', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(demoOverview),
      }),
      {
        route:
          '/service-mesh?finding=MESH010-cluster2-cluster3-secret-istio-system-istio-remote-secret-cluster3',
      },
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'MESH010: Missing remote secret',
    });
    expect(dialog).toHaveTextContent(
      'cluster2 has no remote secret for cluster3',
    );
    expect(dialog).toHaveTextContent('Clusters: cluster2, cluster3');
    expect(dialog).toHaveTextContent(
      'istioctl create-remote-secret --context=cluster3 --name=cluster3 | kubectl apply -f - --context=cluster2',
    );
    expect(dialog).toHaveTextContent('Multi-primary needs the full matrix');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(location()).toHaveTextContent(/^\/service-mesh$/);
  });

  it('updates the URL when a finding is opened from the table', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(demoOverview),
      }),
      { route: '/service-mesh?severity=warning' },
    );
    await userEvent.click(
      await screen.findByRole('link', { name: 'Pods without a sidecar' }),
    );
    expect(location()).toHaveTextContent(
      '/service-mesh?severity=warning&finding=MESH063-cluster2-deployment-global-svc-product-service',
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'MESH063: Pods without a sidecar',
    });
    expect(dialog).toHaveTextContent(
      'Resource: Deployment global-svc/product-service',
    );
  });

  it('says so when a linked finding is no longer reported', async () => {
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest.fn().mockResolvedValue(demoOverview),
      }),
      { route: '/service-mesh?finding=MESH020-gone' },
    );
    expect(
      await screen.findByRole('dialog', { name: 'Finding not found' }),
    ).toHaveTextContent('MESH020-gone');
  });

  it('refreshes the mesh, shows each cluster as it is read, and reloads when the run ends', async () => {
    const startedAt = '2025-11-21T10:05:00.000Z';
    const running = (cluster3: 'reading' | 'done') => ({
      state: 'running' as const,
      startedAt,
      clusters: [
        { name: 'cluster1', state: 'done' as const, durationMs: 1200 },
        { name: 'cluster3', state: cluster3 },
      ],
    });
    let finish = () => {};
    const api = mockServiceMeshApi({
      getOverview: jest.fn().mockResolvedValue(demoOverview),
      refresh: jest.fn().mockResolvedValue(running('reading')),
      getRefreshProgress: jest
        .fn()
        .mockResolvedValueOnce(running('reading'))
        .mockImplementation(
          () =>
            new Promise(resolve => {
              finish = () =>
                resolve({
                  ...running('done'),
                  state: 'idle',
                  finishedAt: '2025-11-21T10:05:03.000Z',
                  generatedAt: '2025-11-21T10:05:03.000Z',
                });
            }),
        ),
    });
    await renderPage(api);
    const button = await screen.findByRole('button', { name: 'Refresh' });
    expect(button).toBeEnabled();
    await userEvent.click(button);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    const progress = await screen.findByRole('status', {
      name: 'Refresh progress',
    });
    expect(progress).toHaveTextContent('1 of 2 clusters read');
    expect(progress).toHaveTextContent('cluster1: done in 1.2 s');
    expect(progress).toHaveTextContent('cluster3: reading');
    expect(api.getOverview).toHaveBeenCalledTimes(1);
    // two polls, a second apart (the default wait is generous: setupTests.ts)
    await waitFor(() =>
      expect(api.getRefreshProgress).toHaveBeenCalledTimes(2),
    );
    finish();
    await waitFor(() => expect(api.getOverview).toHaveBeenCalledTimes(2));
    expect(
      screen.queryByRole('status', { name: 'Refresh progress' }),
    ).not.toBeInTheDocument();
  });

  it('says the backend is still reading before the first snapshot, not a snapshot time', async () => {
    const api = mockServiceMeshApi({
      getOverview: jest.fn().mockResolvedValue({
        ...demoOverview,
        status: 'pending',
        findings: [],
        clusters: demoOverview.clusters.map(c => ({ ...c, status: 'pending' })),
      }),
    });
    await renderPage(api);
    expect(
      await screen.findByText('Reading the clusters for the first time…'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Snapshot from/)).not.toBeInTheDocument();
    expect(screen.queryByText(/could not be read/)).not.toBeInTheDocument();
    expect(screen.getAllByText('Not read yet').length).toBeGreaterThan(0);
  });

  it('shows the age of the snapshot next to its time', async () => {
    const generatedAt = new Date(Date.now() - 12_000).toISOString();
    await renderPage(
      mockServiceMeshApi({
        getOverview: jest
          .fn()
          .mockResolvedValue({ ...demoOverview, generatedAt }),
      }),
    );
    expect(await screen.findByText(/^updated 1\d s ago$/)).toBeInTheDocument();
  });

  it('keeps the data when the backend refuses a refresh', async () => {
    const api = mockServiceMeshApi({
      getOverview: jest.fn().mockResolvedValue(demoOverview),
      refresh: jest
        .fn()
        .mockRejectedValue(
          await responseError(403, 'NotAllowedError', 'Unauthorized'),
        ),
    });
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Refresh' }),
    );
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(api.getOverview).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
    expect(
      screen.getByRole('heading', { name: 'Clusters' }),
    ).toBeInTheDocument();
  });

  it('disables refresh with an explanation when the permission is denied', async () => {
    const api = mockServiceMeshApi({
      getOverview: jest.fn().mockResolvedValue(demoOverview),
    });
    await renderPage(api, { allowRefresh: false });
    const button = await screen.findByRole('button', { name: 'Refresh' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(REFRESH_DENIED_TEXT);
    await userEvent.hover(button.parentElement!);
    // MUI opens the tooltip after its enter delay; a loaded machine renders the whole dashboard first.
    expect(
      await screen.findByRole('tooltip', {}, { timeout: 10_000 }),
    ).toHaveTextContent(REFRESH_DENIED_TEXT);
    expect(api.refresh).not.toHaveBeenCalled();
  });
});
