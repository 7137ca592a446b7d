import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { demoOverview } from '../../__fixtures__';
import { ReachabilityMatrix } from './ReachabilityMatrix';
import { MeshTopology } from './MeshTopology';
import { syntheticMatrix } from './testMatrix';

function cell(from: string, to: string) {
  return screen.getByRole('button', { name: new RegExp(`^${from} to ${to}:`) });
}

describe('ReachabilityMatrix', () => {
  it("shows the demo's pairs: cluster3 not discovered from cluster1 and cluster2, and without gateway address", async () => {
    await renderInTestApp(
      <ReachabilityMatrix
        matrix={demoOverview.reachability}
        findings={demoOverview.findings}
      />,
    );
    const table = screen.getByRole('table', { name: 'Reachability matrix' });
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map(h => h.textContent),
    ).toEqual(['cluster1', 'cluster2', 'cluster3']);
    expect(cell('cluster2', 'cluster3')).toHaveTextContent(
      'not discovered (MESH010)',
    );
    expect(cell('cluster2', 'cluster3')).toHaveTextContent(
      'no gateway address (MESH032)',
    );
    expect(cell('cluster1', 'cluster3')).toHaveTextContent(
      'not discovered (MESH012)',
    );
    expect(cell('cluster1', 'cluster3')).toHaveTextContent(
      'no gateway address (MESH032)',
    );
    expect(cell('cluster3', 'cluster1')).toHaveTextContent(
      'reachable, through the east-west gateway',
    );
    expect(
      within(table).getAllByText('same cluster', { exact: true }),
    ).toHaveLength(3);
    expect(screen.getByText(/2 of 6 pairs cannot use/)).toBeInTheDocument();
  });

  it('gives the reasons on hover, and all of them in a dialog opened with the keyboard', async () => {
    await renderInTestApp(
      <ReachabilityMatrix
        matrix={demoOverview.reachability}
        findings={demoOverview.findings}
      />,
    );
    await userEvent.hover(cell('cluster2', 'cluster3'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'MESH010: no remote secret',
    );
    await userEvent.unhover(cell('cluster2', 'cluster3'));

    // Tab through the cells to cluster2 → cluster3 and open it with Enter.
    const target = cell('cluster2', 'cluster3');
    for (let i = 0; i < 12 && document.activeElement !== target; i++)
      await userEvent.tab();
    expect(target).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', {
      name: 'cluster2 → cluster3',
    });
    expect(dialog).toHaveTextContent('Discovered: no');
    expect(dialog).toHaveTextContent('Routable: no (via pod-ip)');
    expect(dialog).toHaveTextContent('Trusted: yes');
    // The finding's own message, from the analysis.
    const mesh010 = demoOverview.findings.find(f => f.code === 'MESH010')!;
    expect(dialog).toHaveTextContent(mesh010.message);
    expect(dialog).toHaveTextContent(/no requests/);
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('renders a matrix of 20 clusters', async () => {
    const matrix = syntheticMatrix(20, 4, 'network-2');
    await renderInTestApp(<ReachabilityMatrix matrix={matrix} findings={[]} />);
    expect(screen.getAllByRole('rowheader')).toHaveLength(20);
    // 5 clusters on network-2, reached by none of the 15 others.
    expect(screen.getByText(/75 of 380 pairs cannot use/)).toBeInTheDocument();
    expect(cell('cluster-1', 'cluster-2')).toHaveTextContent(
      'no gateway address (MESH032)',
    );
  });
});

describe('MeshTopology', () => {
  it("draws the demo's networks, with network3 cut off and its gateway without address", async () => {
    const { container } = await renderInTestApp(
      <MeshTopology matrix={demoOverview.reachability} />,
    );
    const picture = screen.getByRole('img', { name: /^Mesh topology/ });
    expect(picture).toHaveAccessibleName(
      'Mesh topology: network1 (cluster1); network2 (cluster2); network3 (cluster3), cut off',
    );
    expect(screen.getByText(/Cut off: network3\./)).toBeInTheDocument();
    const links = [...container.querySelectorAll('line[data-link]')].map(l => [
      l.getAttribute('data-link'),
      l.getAttribute('data-state'),
    ]);
    expect(links).toEqual(
      expect.arrayContaining([
        ['network1>network3', 'blocked'],
        ['network2>network3', 'blocked'],
        ['network3>network1', 'ok'],
        ['network3>network2', 'ok'],
      ]),
    );
    expect(
      container.querySelector('[data-gateway="cluster3"]'),
    ).toHaveTextContent('cluster3: no address (MESH032)');
    const notReached = screen.getByRole('list', {
      name: 'Networks not reached',
    });
    expect(
      within(notReached)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      'network1 → network3: cut off (0 of 1 cluster pairs)',
      'network2 → network3: cut off (0 of 1 cluster pairs)',
    ]);
  });

  it('draws 20 clusters on 5 networks, every cluster and every arrow', async () => {
    const { container } = await renderInTestApp(
      <MeshTopology matrix={syntheticMatrix(20, 5, 'network-3')} />,
    );
    expect(container.querySelectorAll('[data-cluster]')).toHaveLength(20);
    expect(container.querySelectorAll('[data-network]')).toHaveLength(5);
    expect(container.querySelectorAll('line[data-link]')).toHaveLength(20);
    expect(
      container.querySelectorAll('line[data-state="blocked"]'),
    ).toHaveLength(4);
    expect(screen.getByText(/Cut off: network-3\./)).toBeInTheDocument();
  });

  it('says a single network needs no gateway', async () => {
    await renderInTestApp(<MeshTopology matrix={syntheticMatrix(3, 1)} />);
    expect(
      screen.getByText(/One network: clusters reach each other directly/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Legend' })).toBeNull();
  });
});
