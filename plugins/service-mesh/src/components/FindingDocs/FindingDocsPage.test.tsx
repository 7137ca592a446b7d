import { screen, within } from '@testing-library/react';
import { configApiRef } from '@backstage/core-plugin-api';
import { ConfigReader } from '@backstage/config';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { FINDING_CODES } from '@internal/plugin-service-mesh-common';
import { Route, Routes } from 'react-router-dom';
import { rootRouteRef } from '../../routes';
import { ServiceMeshRoutes } from '../ServiceMeshRoutes';

/** The plugin's page as an app mounts it, at /service-mesh. */
function renderAt(path: string, config = new ConfigReader({})) {
  return renderInTestApp(
    <TestApiProvider apis={[[configApiRef, config]]}>
      <Routes>
        <Route path="/service-mesh/*" element={<ServiceMeshRoutes />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/service-mesh': rootRouteRef },
    },
  );
}

describe('FindingDocsPage', () => {
  it("shows a code's title, severity, scope, meaning, fix and references from the registry", async () => {
    await renderAt('/service-mesh/findings/MESH010');
    const definition = FINDING_CODES.MESH010;
    expect(
      await screen.findByRole('heading', {
        name: 'MESH010: Missing remote secret',
      }),
    ).toBeInTheDocument();
    const facts = screen.getByText('Severity').closest('dl') as HTMLElement;
    expect(within(facts).getByText('Error')).toBeInTheDocument();
    expect(facts).toHaveTextContent(
      'Scopecluster: shown for every entity that runs in one of the clusters it names',
    );
    expect(facts).toHaveTextContent('Category');
    expect(screen.getByText(definition.description)).toBeInTheDocument();
    // The explanation is Markdown: its code spans are code elements.
    expect(
      screen.getByText('istio/multiCluster=true', { selector: 'code' }),
    ).toBeInTheDocument();
    const fix = screen.getByRole('heading', { name: 'How to fix it' });
    expect(
      within(fix.closest('.MuiCard-root') as HTMLElement).getByText(
        /^istioctl create-remote-secret --context=<peer>/,
        { selector: 'code' },
      ),
    ).toBeInTheDocument();
    const references = screen
      .getByRole('heading', { name: 'References' })
      .closest('.MuiCard-root') as HTMLElement;
    expect(
      within(references)
        .getAllByRole('link')
        .map(link => link.getAttribute('href')),
    ).toEqual(definition.docs.references.map(r => r.url));
    expect(
      screen.getByRole('link', { name: 'Current MESH010 findings' }),
    ).toHaveAttribute('href', '/service-mesh?code=MESH010');
  });

  it('adds the published page when serviceMesh.links.findingDocsBaseUrl is set', async () => {
    await renderAt(
      '/service-mesh/findings/MESH020',
      new ConfigReader({
        serviceMesh: {
          links: { findingDocsBaseUrl: 'https://docs.example.com/mesh' },
        },
      }),
    );
    expect(
      await screen.findByRole('link', {
        name: /^MESH020 in the published documentation/,
      }),
    ).toHaveAttribute(
      'href',
      'https://docs.example.com/mesh/docs/findings/MESH020.md',
    );
  });

  it('says so for a code the plugin does not define', async () => {
    await renderAt('/service-mesh/findings/MESH999');
    expect(
      await screen.findByText(/No finding code MESH999/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Back to the mesh dashboard' }),
    ).toHaveAttribute('href', '/service-mesh');
  });
});
