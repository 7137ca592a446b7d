import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import {
  demoOverview,
  legacyReportsEntity,
  productServiceEntity,
} from './__fixtures__';
import { serviceMeshApiRef } from './api';
import { mockServiceMeshApi } from './__testUtils__';
import plugin from './alpha';

describe('service-mesh plugin (new frontend system)', () => {
  it('shows the tab and the card only for entities with Kubernetes annotations', () => {
    const content = createExtensionTester(
      plugin.getExtension('entity-content:service-mesh'),
    );
    const contentFilter = content.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    );
    expect(contentFilter?.(productServiceEntity)).toBe(true);
    expect(contentFilter?.(legacyReportsEntity)).toBe(false);

    const card = createExtensionTester(
      plugin.getExtension('entity-card:service-mesh'),
    );
    const cardFilter = card.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(cardFilter?.(productServiceEntity)).toBe(true);
    expect(cardFilter?.(legacyReportsEntity)).toBe(false);
  });

  it('serves the dashboard at /service-mesh', async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/service-mesh'],
      apis: [
        [
          serviceMeshApiRef,
          mockServiceMeshApi({
            getOverview: jest.fn().mockResolvedValue(demoOverview),
          }),
        ],
        [permissionApiRef, mockApis.permission()],
      ],
    });
    expect(
      // The page and its chunks load lazily.
      await screen.findByRole(
        'heading',
        { name: 'Clusters' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Remote secrets' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Findings' }),
    ).toBeInTheDocument();
  });
});
