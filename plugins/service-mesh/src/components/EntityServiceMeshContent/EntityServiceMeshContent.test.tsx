import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  legacyReportsEntity,
  notInMeshResponse,
  productServiceEntity,
  productServiceResponse,
  productServiceWithStaleCluster2,
} from '../../__fixtures__';
import type { ServiceMeshApi } from '../../api';
import {
  mockServiceMeshApi,
  renderWithMeshApis,
  responseError,
} from '../../__testUtils__';
import { EntityServiceMeshContent } from './EntityServiceMeshContent';

function renderTab(api: ServiceMeshApi, entity: Entity = productServiceEntity) {
  return renderWithMeshApis(
    <EntityProvider entity={entity}>
      <EntityServiceMeshContent />
    </EntityProvider>,
    api,
  );
}

function loaded(response = productServiceResponse) {
  return mockServiceMeshApi({
    getEntity: jest.fn().mockResolvedValue(response),
  });
}

/** Text of each cell (row headers included) of a table's body rows. */
function bodyRows(table: HTMLElement): string[][] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      Array.from(row.querySelectorAll('th, td')).map(
        cell => cell.textContent ?? '',
      ),
    );
}

describe('EntityServiceMeshContent', () => {
  it('explains which annotation to add when the entity has none', async () => {
    const api = mockServiceMeshApi();
    await renderTab(api, legacyReportsEntity);
    // Backstage's MissingAnnotationEmptyState, naming the Kubernetes plugin's annotations.
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(api.getEntity).not.toHaveBeenCalled();
  });

  it('shows the permission-required panel without service-mesh.read', async () => {
    const api = loaded();
    await renderWithMeshApis(
      <EntityProvider entity={productServiceEntity}>
        <EntityServiceMeshContent />
      </EntityProvider>,
      api,
      { deny: ['service-mesh.read'] },
    );
    expect(await screen.findByText(/Permission required/)).toBeInTheDocument();
    expect(api.getEntity).not.toHaveBeenCalled();
  });

  it('says the backend is still reading before the first snapshot', async () => {
    await renderTab(
      mockServiceMeshApi({
        getEntity: jest
          .fn()
          .mockResolvedValue({ ...productServiceResponse, status: 'pending' }),
      }),
    );
    expect(
      await screen.findByText(/reading the clusters for the first time/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Not found in the mesh')).not.toBeInTheDocument();
  });

  it('shows a skeleton while loading', async () => {
    const api = mockServiceMeshApi();
    await renderTab(api);
    expect(
      screen.getByText('Loading the service mesh for this entity…'),
    ).toBeInTheDocument();
    expect(api.getEntity).toHaveBeenCalledWith(
      'component:default/product-service',
    );
  });

  it('shows backend errors in a ResponseErrorPanel', async () => {
    const error = await responseError(
      500,
      'Error',
      'snapshot index corrupt',
      '/api/service-mesh/entity',
    );
    await renderTab(
      mockServiceMeshApi({ getEntity: jest.fn().mockRejectedValue(error) }),
    );
    expect(
      (await screen.findAllByText(/snapshot index corrupt/)).length,
    ).toBeGreaterThan(0);
  });

  it('says the entity is not in the mesh on a 404', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'No workloads match component:default/product-service',
      '/api/service-mesh/entity',
    );
    await renderTab(
      mockServiceMeshApi({ getEntity: jest.fn().mockRejectedValue(error) }),
    );
    expect(
      await screen.findByText('Not found in the mesh'),
    ).toBeInTheDocument();
  });

  it('says the entity is not in the mesh when no cluster runs it', async () => {
    await renderTab(
      mockServiceMeshApi({
        getEntity: jest.fn().mockResolvedValue(notInMeshResponse),
      }),
    );
    expect(
      await screen.findByText('Not found in the mesh'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /backstage\.io\/kubernetes-id=product-service in namespace global-svc/,
      ),
    ).toBeInTheDocument();
  });

  it('shows membership, sidecar coverage, mTLS and stale clusters', async () => {
    await renderTab(loaded(productServiceWithStaleCluster2));
    expect(
      await screen.findByRole('heading', { name: 'Mesh membership' }),
    ).toBeInTheDocument();
    for (const name of [
      'Endpoints',
      'Traffic policies',
      'Traffic split',
      'Findings',
    ]) {
      expect(screen.getByRole('heading', { name })).toBeInTheDocument();
    }
    const table = screen.getByRole('table', {
      name: 'Mesh membership per cluster',
    });
    const rows = bodyRows(table);
    expect(rows[0]).toEqual([
      'cluster1',
      'OK',
      'us-east-1',
      'network1',
      'global-svc: in the mesh (revision 1-22)',
      '3/3 pods with a sidecar (100%)',
      'STRICT',
    ]);
    expect(rows[1][1]).toBe('StaleStale · last success 2026-05-31 23:42 UTC');
    expect(rows[1][5]).toBe('1/2 pods with a sidecar (50%)');
    expect(rows[2][6]).toBe('STRICT');
    expect(
      screen.getByText(/Data from cluster2 may be out of date/),
    ).toBeInTheDocument();
  });

  it('charts endpoints per cluster and zone', async () => {
    await renderTab(loaded());
    const list = await screen.findByRole('list', {
      name: 'Endpoints of global-svc/product-service',
    });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'cluster1 · us-east-1/us-east-1a3 ready, 0 not ready',
      'cluster2 · us-east-1/us-east-1b2 ready, 0 not ready',
      'cluster3 · eu-west-1/eu-west-1a1 ready, 0 not ready',
      'cluster3 · eu-west-1/eu-west-1b1 ready, 0 not ready',
    ]);
  });

  // istio-system/global (*.cluster.local) is not in force for product-service: Istio takes the more specific rule
  // of the service's namespace (push_context.go destinationRule, MostSpecificHostMatch).
  it('lists the traffic policies with their clusters and expandable specs', async () => {
    await renderTab(loaded());
    const table = await screen.findByRole('table', {
      name: 'Traffic policies',
    });
    const rows = bodyRows(table);
    expect(rows.map(row => row.slice(0, 3))).toEqual([
      [
        'DestinationRule',
        'global-svc/product-service',
        'cluster1, cluster2Differs across clusters',
      ],
      [
        'DestinationRule',
        'global-svc/product-service',
        'cluster3Differs across clusters',
      ],
      [
        'PeerAuthentication',
        'istio-system/default',
        'cluster1, cluster2, cluster3',
      ],
    ]);

    // Narrow columns keep kind names and the header whole.
    const kind = within(table).getAllByText('DestinationRule')[0];
    expect(getComputedStyle(kind).whiteSpace).toBe('nowrap');
    expect(
      getComputedStyle(within(table).getByText('Clusters')).whiteSpace,
    ).toBe('nowrap');

    const expand = screen.getByRole('button', {
      name: 'Show spec of DestinationRule global-svc/product-service in cluster1, cluster2',
    });
    expect(expand).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(expand);
    const spec = screen.getByRole('region', {
      name: 'spec of DestinationRule global-svc/product-service in cluster1, cluster2',
    });
    // Backstage's CodeSnippet (loaded lazily), with a copy button.
    await waitFor(() =>
      expect(spec).toHaveTextContent('consecutive5xxErrors: 1'),
    );
    expect(spec).toHaveTextContent('- from: us-east-1');
    expect(
      within(spec).getByRole('button', { name: /copy/i }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'JSON' }));
    await waitFor(() =>
      expect(spec).toHaveTextContent('"consecutive5xxErrors": 1'),
    );
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Hide spec of DestinationRule global-svc/product-service in cluster1, cluster2',
      }),
    );
    expect(spec).not.toBeInTheDocument();
  });

  it("shows the entity's findings and opens one", async () => {
    await renderTab(loaded());
    const all = await screen.findByRole('table', { name: 'Findings' });
    // Its own (MESH052, MESH063) and those of the clusters it runs in.
    expect(bodyRows(all).map(row => row[1])).toEqual([
      'MESH010',
      'MESH012',
      'MESH032',
      'MESH001',
      'MESH015',
      'MESH052',
      'MESH063',
    ]);
  });

  it('opens one of few findings, without a filter bar', async () => {
    await renderTab(
      loaded({
        ...productServiceResponse,
        findings: productServiceResponse.findings.filter(f =>
          ['MESH052', 'MESH063'].includes(f.code),
        ),
      }),
    );
    const table = await screen.findByRole('table', { name: 'Findings' });
    expect(bodyRows(table).map(row => row[1])).toEqual(['MESH052', 'MESH063']);
    // Few findings: no filter bar.
    expect(screen.queryByLabelText('Search findings')).not.toBeInTheDocument();
    await userEvent.click(
      within(table).getByRole('link', { name: 'Pods without a sidecar' }),
    );
    expect(
      await screen.findByRole('dialog', {
        name: 'MESH063: Pods without a sidecar',
      }),
    ).toHaveTextContent('rollout restart deployment/product-service');
  });

  it('shows the expected traffic split per client locality', async () => {
    await renderTab(loaded());
    const matrix = await screen.findByRole('table', {
      name: /Expected split now/,
    });
    expect(
      within(matrix)
        .getAllByRole('columnheader')
        .map(header => header.textContent),
    ).toEqual([
      'Client locality',
      'eu-west-1/eu-west-1acluster3',
      'eu-west-1/eu-west-1bcluster3',
      'us-east-1/us-east-1acluster1',
      'us-east-1/us-east-1bcluster2',
      'Cannot reach',
    ]);
    // The demo's distribute rule from us-east-1 (70/20/10), over what each client can reach: cluster3 is not
    // discovered from cluster1 (its istiod cannot sync it) nor from cluster2 (no remote secret), so 77.8/22.2 there.
    // eu-west-1 clients match no rule, so their shares follow the endpoint counts (1, 1, 3 and 2 of 7).
    expect(bodyRows(matrix)).toEqual([
      [
        'us-east-1/us-east-1acluster1',
        '0%',
        '0%',
        '77.8%',
        '22.2%',
        'cluster3: not discovered, so it gets no requests (istiod cannot sync it, MESH012; no gateway address, MESH032)',
      ],
      [
        'us-east-1/us-east-1bcluster2',
        '0%',
        '0%',
        '77.8%',
        '22.2%',
        'cluster3: not discovered, so it gets no requests (no remote secret, MESH010; no gateway address, MESH032)',
      ],
      ['eu-west-1/eu-west-1acluster3', '14.3%', '14.3%', '42.9%', '28.6%', '–'],
      ['eu-west-1/eu-west-1bcluster3', '14.3%', '14.3%', '42.9%', '28.6%', '–'],
    ]);
    expect(screen.getByText('Weighted distribution')).toBeInTheDocument();
  });

  it('recomputes the split when a region or zone fails', async () => {
    await renderTab(loaded());
    const control = await screen.findByLabelText('What if this fails');
    expect(
      within(control)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual([
      'Nothing fails',
      'Region eu-west-1',
      'Region us-east-1',
      'Zone eu-west-1/eu-west-1a',
      'Zone eu-west-1/eu-west-1b',
      'Zone us-east-1/us-east-1a',
      'Zone us-east-1/us-east-1b',
    ]);

    await userEvent.selectOptions(control, 'region:us-east-1');
    const regionDown = screen.getByRole('table', {
      name: /If region us-east-1 fails/,
    });
    // us-east-1 clients can reach nothing else: cluster3 is cut off for them.
    expect(bodyRows(regionDown)).toEqual([
      [
        'us-east-1/us-east-1acluster1',
        'No healthy upstream: requests fail with 503',
        'cluster3: not discovered, so it gets no requests (istiod cannot sync it, MESH012; no gateway address, MESH032)',
      ],
      [
        'us-east-1/us-east-1bcluster2',
        'No healthy upstream: requests fail with 503',
        'cluster3: not discovered, so it gets no requests (no remote secret, MESH010; no gateway address, MESH032)',
      ],
      [
        'eu-west-1/eu-west-1acluster3',
        '50% (▲ +35.7)',
        '50% (▲ +35.7)',
        '0% (▼ -42.9)',
        '0% (▼ -28.6)',
        '–',
      ],
      [
        'eu-west-1/eu-west-1bcluster3',
        '50% (▲ +35.7)',
        '50% (▲ +35.7)',
        '0% (▼ -42.9)',
        '0% (▼ -28.6)',
        '–',
      ],
    ]);
    // The current split stays visible for comparison.
    expect(
      screen.getByRole('table', { name: /Expected split now/ }),
    ).toBeInTheDocument();

    await userEvent.selectOptions(control, 'zone:eu-west-1/eu-west-1a');
    const zoneDown = screen.getByRole('table', {
      name: /If zone eu-west-1\/eu-west-1a fails/,
    });
    // No distribute rule matches eu-west-1 clients: shares follow the endpoints left (1, 3 and 2 of 6).
    expect(bodyRows(zoneDown)[2]).toEqual([
      'eu-west-1/eu-west-1acluster3',
      '0% (▼ -14.3)',
      '16.7% (▲ +2.4)',
      '50% (▲ +7.1)',
      '33.3% (▲ +4.8)',
      '–',
    ]);

    await userEvent.selectOptions(control, '');
    expect(
      screen.queryByRole('table', { name: /^If / }),
    ).not.toBeInTheDocument();
  });
});
