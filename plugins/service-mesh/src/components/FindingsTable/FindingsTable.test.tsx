import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { configApiRef } from '@backstage/core-plugin-api';
import { ConfigReader } from '@backstage/config';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  kubernetesApiRef,
  kubernetesClusterLinkFormatterApiRef,
} from '@backstage/plugin-kubernetes-react';
import { TestApiProvider } from '@backstage/test-utils';
import type { Finding } from '@internal/plugin-service-mesh-common';
import { mockServiceMeshApi, renderWithMeshApis } from '../../__testUtils__';
import { rootRouteRef } from '../../routes';
import { FindingsTable } from './FindingsTable';

function manyFindings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `MESH063-cluster${i % 3}-ns${i}`,
    code: i % 2 ? 'MESH063' : 'MESH052',
    severity: i % 5 === 0 ? 'error' : 'warning',
    title: `Finding ${String(i).padStart(4, '0')}`,
    message: `message ${i}`,
    clusters: [`cluster${i % 3}`],
    resource: { kind: 'Deployment', namespace: `ns${i}`, name: `app${i}` },
    hint: `kubectl -n ns${i} rollout restart deployment/app${i} --context=cluster${
      i % 3
    }`,
  }));
}

/** Captures what the export saves (the Blob behind the object URL), so the test reads the file itself. */
function captureDownloads() {
  const saved: Blob[] = [];
  (URL as any).createObjectURL = jest.fn((blob: Blob) => {
    saved.push(blob);
    return 'blob:findings';
  });
  (URL as any).revokeObjectURL = jest.fn();
  // jsdom cannot navigate to a download.
  jest
    .spyOn(HTMLAnchorElement.prototype, 'click')
    .mockImplementation(() => undefined);
  return { saved, text: (i: number) => saved[i].text() };
}

const bodyRows = (table: HTMLElement) =>
  within(table).getAllByRole('row').slice(1);

describe('FindingsTable', () => {
  it('pages 1,000 findings 20 at a time, most severe first, and exports all of them', async () => {
    const findings = manyFindings(1000);
    const download = captureDownloads();
    await renderWithMeshApis(
      <FindingsTable findings={findings} />,
      mockServiceMeshApi(),
    );
    const table = await screen.findByRole('table', { name: 'Findings' });
    expect(bodyRows(table)).toHaveLength(20);
    // Errors (every fifth finding) first.
    expect(bodyRows(table)[0]).toHaveTextContent('Error');
    expect(screen.getAllByText(/1-20 of 1000/)[0]).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    expect(screen.getAllByText(/21-40 of 1000/)[0]).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await userEvent.click(
      await screen.findByRole('menuitem', { name: 'Export as CSV' }),
    );
    expect(download.saved[0].type).toBe('text/csv');
    const csv = await download.text(0);
    expect(csv.trim().split('\r\n')).toHaveLength(1001);
  });

  it('sorts by a column and exports only what the filters show, as JSON', async () => {
    const download = captureDownloads();
    await renderWithMeshApis(
      <FindingsTable findings={manyFindings(30)} />,
      mockServiceMeshApi(),
      {
        routeEntries: ['/?cluster=cluster1'],
      },
    );
    const table = await screen.findByRole('table', { name: 'Findings' });
    expect(bodyRows(table)).toHaveLength(10);
    await userEvent.click(
      within(table).getByRole('button', { name: 'Finding' }),
    );
    expect(bodyRows(table)[0]).toHaveTextContent('Finding 0001');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await userEvent.click(
      await screen.findByRole('menuitem', { name: 'Export as JSON' }),
    );
    expect(download.saved[0].type).toBe('application/json');
    const json = JSON.parse(await download.text(0));
    expect(json).toHaveLength(10);
    expect(json.every((f: Finding) => f.clusters[0] === 'cluster1')).toBe(true);
  });

  it('shows whole fix hints, each with a copy button', async () => {
    const [finding] = manyFindings(1);
    await renderWithMeshApis(
      <FindingsTable findings={[finding]} />,
      mockServiceMeshApi(),
    );
    const table = await screen.findByRole('table', { name: 'Findings' });
    const hint = within(table).getByText(finding.hint);
    expect(getComputedStyle(hint).whiteSpace).toBe('pre-wrap');
    expect(getComputedStyle(hint).textOverflow).not.toBe('ellipsis');
    expect(
      within(table).getByRole('button', {
        name: 'Copy the fix hint of MESH052',
      }),
    ).toBeInTheDocument();
  });

  it('links a finding to its owning entity, its Kubernetes tab, the cluster console, Kiali, Grafana and its docs', async () => {
    const finding: Finding = {
      ...manyFindings(1)[0],
      code: 'MESH052',
      clusters: ['cluster1'],
      resource: {
        kind: 'DestinationRule',
        namespace: 'global-svc',
        name: 'product-service',
      },
    };
    const catalogApi = {
      getEntities: jest.fn(async () => ({
        items: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'product-service',
              namespace: 'default',
              annotations: {
                'backstage.io/kubernetes-id': 'product-service',
                'backstage.io/kubernetes-namespace': 'global-svc',
              },
            },
          },
        ],
      })),
    };
    const kubernetesApi = {
      getCluster: jest.fn(async (name: string) => ({
        name,
        authProvider: 'serviceAccount',
        dashboardUrl: 'https://console.example.com/',
      })),
    };
    const formatter = {
      formatClusterLink: jest.fn(
        async (o: any) =>
          `${o.dashboardUrl}#/${o.kind}/${o.object.metadata.namespace}/${o.object.metadata.name}`,
      ),
    };
    const config = new ConfigReader({
      serviceMesh: {
        links: {
          kiali:
            'https://kiali.example.com/console/namespaces/{namespace}/istio/{kind}/{name}?clusterName={cluster}',
          grafana:
            'https://grafana.example.com/d/istio?var-namespace={namespace}&var-cluster={cluster}',
          findingDocsBaseUrl: 'https://docs.example.com/mesh',
        },
      },
    });
    await renderWithMeshApis(
      <TestApiProvider
        apis={[
          [catalogApiRef, catalogApi],
          [kubernetesApiRef, kubernetesApi],
          [kubernetesClusterLinkFormatterApiRef, formatter],
          [configApiRef, config],
        ]}
      >
        <FindingsTable findings={[finding]} />
      </TestApiProvider>,
      mockServiceMeshApi(),
      {
        routeEntries: [`/?finding=${finding.id}`],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    await waitFor(() => expect(formatter.formatClusterLink).toHaveBeenCalled());
    const links = await screen.findByRole('list', {
      name: 'Links for this finding',
    });
    await waitFor(() =>
      expect(
        within(links).getByRole('link', { name: /^cluster1 console/ }),
      ).toHaveAttribute(
        'href',
        'https://console.example.com/#/DestinationRule/global-svc/product-service',
      ),
    );
    const href = (name: string) =>
      within(links)
        .getByRole('link', { name: new RegExp(`^${name}(,|$)`) })
        .getAttribute('href');
    expect(href('product-service')).toBe(
      '/catalog/default/component/product-service',
    );
    expect(href('product-service: Kubernetes tab')).toBe(
      '/catalog/default/component/product-service/kubernetes',
    );
    expect(href('Kiali')).toBe(
      'https://kiali.example.com/console/namespaces/global-svc/istio/DestinationRule/product-service?clusterName=cluster1',
    );
    expect(href('Grafana')).toBe(
      'https://grafana.example.com/d/istio?var-namespace=global-svc&var-cluster=cluster1',
    );
    // The published docs override the plugin's own page when their base URL is set.
    expect(href('Documentation of MESH052')).toBe(
      'https://docs.example.com/mesh/docs/findings/MESH052.md',
    );
    expect(kubernetesApi.getCluster).toHaveBeenCalledWith('cluster1');
  });

  it("links each finding's code to the code's page in the plugin, from the table and the dialog", async () => {
    const finding: Finding = { ...manyFindings(1)[0], code: 'MESH052' };
    await renderWithMeshApis(
      <FindingsTable findings={[finding]} />,
      mockServiceMeshApi(),
      {
        routeEntries: [`/service-mesh?finding=${finding.id}`],
        mountedRoutes: { '/service-mesh': rootRouteRef },
      },
    );
    // Behind the open (modal) dialog.
    const table = await screen.findByRole('table', {
      name: 'Findings',
      hidden: true,
    });
    expect(
      within(table).getByRole('link', {
        name: 'Documentation of MESH052',
        hidden: true,
      }),
    ).toHaveAttribute('href', '/service-mesh/findings/MESH052');
    const links = await screen.findByRole('list', {
      name: 'Links for this finding',
    });
    expect(
      within(links).getByRole('link', { name: 'Documentation of MESH052' }),
    ).toHaveAttribute('href', '/service-mesh/findings/MESH052');
    expect(screen.queryByText('docs/findings/MESH052.md')).toBeNull();
  });
});
