import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { EntityTrafficPolicy } from '@internal/plugin-service-mesh-common';
import { scopeLabels, TrafficPoliciesTable } from './TrafficPoliciesTable';

const dr = (
  namespace: string,
  name: string,
  extra: Partial<EntityTrafficPolicy> = {},
): EntityTrafficPolicy => ({
  kind: 'DestinationRule',
  namespace,
  name,
  spec: { host: 'product-service' },
  clusters: ['cluster1'],
  ...extra,
});

describe('TrafficPoliciesTable', () => {
  it('says which clients a rule applies to and which rules Istio merges it with', async () => {
    await renderInTestApp(
      <TrafficPoliciesTable
        clusters={['cluster1']}
        policies={[
          dr('global-svc', 'a', {
            clients: { namespaces: ['*', 'global-svc'] },
            merge: {
              rules: ['global-svc/a', 'global-svc/b'],
              trafficPolicyFrom: 'global-svc/b',
            },
          }),
          dr('team', 'private', { clients: { namespaces: ['team'] } }),
          dr('global-svc', 'storefront', {
            clients: {
              namespaces: ['global-svc'],
              workloadSelector: { app: 'storefront' },
            },
          }),
        ]}
      />,
    );
    const table = screen.getByRole('table', { name: 'Traffic policies' });
    const row = (name: string) =>
      within(table).getByRole('rowheader', { name }).closest('tr')!;
    expect(
      within(row('global-svc/a')).getByText('Merged with global-svc/b'),
    ).toBeInTheDocument();
    expect(
      within(row('global-svc/a')).queryByText(/^Clients in/),
    ).not.toBeInTheDocument();
    expect(
      within(row('team/private')).getByText('Clients in team'),
    ).toBeInTheDocument();
    expect(
      within(row('global-svc/storefront')).getByText(
        'Clients in global-svc with app=storefront',
      ),
    ).toBeInTheDocument();
  });

  it('names the gateways a VirtualService applies at', () => {
    expect(
      scopeLabels({
        kind: 'VirtualService',
        namespace: 'global-svc',
        name: 'shop',
        spec: {},
        clusters: [],
        clients: { namespaces: [], gateways: ['global-svc/shop-gateway'] },
      }),
    ).toEqual(['At gateway global-svc/shop-gateway']);
  });
});
