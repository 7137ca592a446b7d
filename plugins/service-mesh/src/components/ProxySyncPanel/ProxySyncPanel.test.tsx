import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import type {
  ClusterMeshStatus,
  EntityClusterView,
  IstiodView,
} from '@internal/plugin-service-mesh-common';
import { EntityProxySync } from '../EntityProxySync';
import { IstiodRemoteClusters } from '../IstiodRemoteClusters';
import { ProxySyncPanel } from './ProxySyncPanel';

const observedAt = '2026-06-01T00:20:00Z';
const stale = {
  pod: 'web-1',
  namespace: 'shop',
  clusterId: 'c1',
  version: '1.22.4',
  xds: {
    CDS: { state: 'SYNCED' as const, since: '2026-06-01T00:19:00Z' },
    EDS: { state: 'STALE' as const, since: '2026-06-01T00:08:00Z' },
  },
};
const okView: IstiodView = {
  revision: '1-22',
  namespace: 'istio-system',
  pod: 'istiod-a',
  status: 'ok',
  observedAt,
  clusterId: 'c1',
  remoteClusters: [
    {
      id: 'c2',
      secretName: 'istio-system/istio-remote-secret-c2',
      syncStatus: 'synced',
    },
    {
      id: 'c3',
      secretName: 'istio-system/istio-remote-secret-c3',
      syncStatus: 'timeout',
    },
  ],
  proxies: {
    total: 5,
    synced: 4,
    byNamespace: [
      {
        clusterId: 'c1',
        namespace: 'shop',
        proxies: 5,
        synced: 4,
        stale: 1,
        notSent: 0,
        error: 0,
      },
    ],
    versions: [{ version: '1.22.4', proxies: 5 }],
    rows: [stale],
    rowsTotal: 1,
  },
};
const cluster = (name: string, istiod?: IstiodView[]) =>
  ({
    name,
    role: 'member',
    status: 'ok',
    remoteSecrets: [],
    istiod,
  } as unknown as ClusterMeshStatus);

const clusters = [
  cluster('c1', [okView]),
  cluster('c2', [
    {
      revision: '1-22',
      namespace: 'istio-system',
      pod: 'istiod-b',
      status: 'forbidden',
      error: 'The API server refused the pod proxy (403)',
    },
  ]),
  cluster('c3'),
];

it("lists each istiod's remotes with istiod's own sync status, and the views that could not be read", async () => {
  await renderInTestApp(<IstiodRemoteClusters clusters={clusters} />);
  const rows = screen.getAllByRole('row').map(r => r.textContent);
  expect(
    rows.some(r =>
      /c1.*c3.*timeout.*istio-remote-secret-c3.*istiod-a/.test(r!),
    ),
  ).toBe(true);
  expect(rows.some(r => /c1.*c2.*synced.*istiod-a/.test(r!))).toBe(true);
  expect(rows.some(r => /c2.*forbidden.*403.*istiod-b/.test(r!))).toBe(true);
  expect(screen.getByText(/not read for c3/)).toBeInTheDocument();
});

it("shows proxy sync counts per istiod and drills down to the stale proxies with their age by istiod's clock", async () => {
  await renderInTestApp(<ProxySyncPanel clusters={clusters} />);
  const tables = screen.getAllByRole('table');
  const summary = within(tables[0])
    .getAllByRole('row')
    .map(r => r.textContent);
  expect(
    summary.some(r =>
      /c1.*istiod-a.*read.*5.*4.*1.*0.*0.*1\.22\.4 \(5\)/.test(r!),
    ),
  ).toBe(true);
  expect(summary.some(r => /c2.*istiod-b.*forbidden/.test(r!))).toBe(true);
  const drill = within(tables[1])
    .getAllByRole('row')
    .map(r => r.textContent);
  expect(
    drill.some(r =>
      /c1.*shop.*web-1.*istiod-a.*1\.22\.4.*SYNCED.*IGNORED.*STALE \(12m\)/.test(
        r!,
      ),
    ),
  ).toBe(true);
});

it("shows the entity's proxies: how many are synced, and the ones that are not", async () => {
  const views = [
    {
      cluster: 'c1',
      proxySync: {
        status: 'ok',
        observedAt,
        proxies: 3,
        synced: 2,
        rows: [{ ...stale, istiod: 'istiod-a' }],
      },
    },
    {
      cluster: 'c2',
      proxySync: {
        status: 'disabled',
        error: 'istiod answered 404',
        proxies: 2,
        rows: [],
      },
    },
    { cluster: 'c3' },
  ] as unknown as EntityClusterView[];
  await renderInTestApp(<EntityProxySync clusters={views} />);
  const rows = screen.getAllByRole('row').map(r => r.textContent);
  expect(rows.some(r => /c1.*2 of 3 proxies synced/.test(r!))).toBe(true);
  expect(
    rows.some(r => /c1.*web-1\.shop.*istiod-a.*STALE \(12m\)/.test(r!)),
  ).toBe(true);
  expect(rows.some(r => /c2.*debug endpoints off.*404/.test(r!))).toBe(true);
  expect(rows.some(r => /^c3/.test(r!))).toBe(false);
});

it('says how old the proxy sync is: syncz is read on its own, longer interval than the refresh', async () => {
  const readAt = '2026-06-01T00:20:00Z';
  const now = '2026-06-01T00:23:10Z';
  const { unmount } = await renderInTestApp(
    <ProxySyncPanel
      clusters={[cluster('c1', [{ ...okView, proxiesReadAt: readAt }])]}
      now={now}
    />,
  );
  const [summary] = screen.getAllByRole('table');
  expect(
    within(summary)
      .getAllByRole('row')
      .some(r => /c1.*istiod-a.*3m ago.*5/.test(r.textContent!)),
  ).toBe(true);
  unmount();
  await renderInTestApp(
    <EntityProxySync
      clusters={
        [
          {
            cluster: 'c1',
            proxySync: {
              status: 'ok',
              observedAt,
              readAt,
              proxies: 3,
              synced: 3,
              rows: [],
            },
          },
        ] as unknown as EntityClusterView[]
      }
      now={now}
    />,
  );
  expect(
    screen.getByText('3 of 3 proxies synced (proxy sync read 3m ago)'),
  ).toBeInTheDocument();
});
