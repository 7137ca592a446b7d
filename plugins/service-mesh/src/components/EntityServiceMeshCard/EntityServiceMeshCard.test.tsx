import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
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
import { entityContentRouteRef } from '../../routes';
import { EntityServiceMeshCard } from './EntityServiceMeshCard';

function renderCard(
  api: ServiceMeshApi,
  entity: Entity = productServiceEntity,
) {
  return renderWithMeshApis(
    <EntityProvider entity={entity}>
      <EntityServiceMeshCard />
    </EntityProvider>,
    api,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The `<dd>` that follows the `<dt>` with this text. */
function valueOf(term: string): HTMLElement {
  return screen.getByText(term, { selector: 'dt' })
    .nextElementSibling as HTMLElement;
}

describe('EntityServiceMeshCard', () => {
  it('summarises clusters, sidecars, mTLS, endpoints and the worst finding', async () => {
    await renderCard(
      mockServiceMeshApi({
        getEntity: jest.fn().mockResolvedValue(productServiceWithStaleCluster2),
      }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Service Mesh' }),
    ).toBeInTheDocument();
    await screen.findByText('Clusters', { selector: 'dt' });
    expect(valueOf('Clusters')).toHaveTextContent(
      'cluster1cluster2Stalecluster3',
    );
    expect(valueOf('Sidecars')).toHaveTextContent('86%6 of 7 pods');
    expect(valueOf('mTLS')).toHaveTextContent(
      'STRICT in cluster1, cluster2, cluster3',
    );
    expect(valueOf('Endpoints')).toHaveTextContent('7 ready, 0 not ready');
    expect(valueOf('Findings')).toHaveTextContent('Error7 findings');
    expect(
      screen.getByRole('link', { name: /Open the Service Mesh tab/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/product-service/service-mesh',
    );
  });

  it('links to the tab wherever the app mounts it (route ref, not a hard-coded path)', async () => {
    await renderWithMeshApis(
      <EntityProvider entity={productServiceEntity}>
        <EntityServiceMeshCard />
      </EntityProvider>,
      mockServiceMeshApi({
        getEntity: jest.fn().mockResolvedValue(productServiceResponse),
      }),
      {
        mountedRoutes: {
          '/catalog/:namespace/:kind/:name': entityRouteRef,
          '/catalog/:namespace/:kind/:name/mesh-health': entityContentRouteRef,
        },
      },
    );
    expect(
      await screen.findByRole('link', { name: /Open the Service Mesh tab/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/product-service/mesh-health',
    );
  });

  it('asks for the annotation when the entity has none', async () => {
    const api = mockServiceMeshApi();
    await renderCard(api, legacyReportsEntity);
    expect(
      screen.getByText(/Add the backstage\.io\/kubernetes-id annotation/),
    ).toBeInTheDocument();
    expect(api.getEntity).not.toHaveBeenCalled();
  });

  it('shows progress, then backend errors', async () => {
    const error = await responseError(
      502,
      'Error',
      'backend unavailable',
      '/api/service-mesh/entity',
    );
    await renderCard(
      mockServiceMeshApi({ getEntity: jest.fn().mockRejectedValue(error) }),
    );
    expect(
      (await screen.findAllByText(/backend unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('says when the entity is not in the mesh', async () => {
    await renderCard(
      mockServiceMeshApi({
        getEntity: jest.fn().mockResolvedValue(notInMeshResponse),
      }),
    );
    expect(
      await screen.findByText(/Not found in the mesh/),
    ).toBeInTheDocument();
  });
});
