import { useState } from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FindingsTrendResponse } from '@internal/plugin-service-mesh-common';
import { mockServiceMeshApi, renderWithMeshApis } from '../../__testUtils__';
import { FindingsTrend } from './FindingsTrend';
import { trendClusters, trendData } from './trendData';

// jsdom has no canvas: the plot itself is seen in the browser screenshots; here the lazy chart is a probe.
jest.mock('../TrafficTrends/TrendChart', () => ({
  __esModule: true,
  default: (props: {
    title: string;
    palette: string;
    data: { labels: string[]; columns: number[][] };
  }) => (
    <div data-testid="chart">
      {props.title} ({props.palette}): {props.data.labels.join(', ')} ={' '}
      {props.data.columns
        .slice(1)
        .map(c => c.join('/'))
        .join(' ')}
    </div>
  ),
}));

const severity = (error: number, warning: number, info: number) => ({
  error,
  warning,
  info,
});

const body: FindingsTrendResponse = {
  window: '24h',
  retentionHours: 168,
  points: [
    {
      at: '2026-12-07T10:00:00.000Z',
      bySeverity: severity(3, 1, 0),
      byCode: { MESH010: 3, MESH032: 1 },
      byCluster: {
        cluster1: severity(2, 1, 0),
        cluster2: severity(1, 0, 0),
      },
    },
    {
      at: '2026-12-07T11:00:00.000Z',
      bySeverity: severity(1, 1, 2),
      byCode: { MESH010: 1, MESH032: 1, MESH040: 2 },
      byCluster: { cluster1: severity(1, 1, 2) },
    },
  ],
};
const labels = { error: 'E', warning: 'W', info: 'I' };

describe('trendData', () => {
  it('puts the counts by severity in columns, of the mesh or of one cluster', () => {
    expect(trendData(body.points, labels)).toEqual({
      labels: ['E', 'W', 'I'],
      columns: [
        [
          Date.parse(body.points[0].at) / 1000,
          Date.parse(body.points[1].at) / 1000,
        ],
        [3, 1],
        [1, 1],
        [0, 2],
      ],
    });
    // A cluster missing from a point had no findings then.
    expect(trendData(body.points, labels, 'cluster2').columns.slice(1)).toEqual(
      [
        [1, 0],
        [0, 0],
        [0, 0],
      ],
    );
    expect(trendClusters(body.points)).toEqual(['cluster1', 'cluster2']);
  });
});

describe('FindingsTrend', () => {
  it('plots the findings by severity, per cluster on demand, and reloads for another window', async () => {
    const api = mockServiceMeshApi({
      getFindingsTrend: jest.fn().mockResolvedValue(body),
    });
    await renderWithMeshApis(<FindingsTrend generatedAt="g1" />, api);
    const chart = await screen.findByTestId('chart');
    expect(chart).toHaveTextContent(
      'Findings by severity (severity): Errors, Warnings, Info = 3/1 1/1 0/2',
    );
    expect(
      screen.getByRole('figure', { name: 'Findings by severity' }),
    ).toHaveTextContent('2 snapshots; latest: 1 errors, 1 warnings, 2 info');
    expect(api.getFindingsTrend).toHaveBeenLastCalledWith('24h');

    await userEvent.click(screen.getByRole('button', { name: /All clusters/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'cluster2' }),
    );
    expect(screen.getByTestId('chart')).toHaveTextContent('= 1/0 0/0 0/0');

    await userEvent.click(
      within(screen.getByRole('group', { name: 'Time window' })).getByRole(
        'button',
        { name: '7d' },
      ),
    );
    expect(api.getFindingsTrend).toHaveBeenLastCalledWith('7d');
  });

  it('reloads when the dashboard shows a new snapshot', async () => {
    const api = mockServiceMeshApi({
      getFindingsTrend: jest.fn().mockResolvedValue(body),
    });
    function Dashboard() {
      const [generatedAt, setGeneratedAt] = useState('g1');
      return (
        <>
          <button onClick={() => setGeneratedAt('g2')}>new snapshot</button>
          <FindingsTrend generatedAt={generatedAt} />
        </>
      );
    }
    await renderWithMeshApis(<Dashboard />, api);
    await screen.findByTestId('chart');
    expect(api.getFindingsTrend).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: 'new snapshot' }));
    await screen.findByTestId('chart');
    expect(api.getFindingsTrend).toHaveBeenCalledTimes(2);
  });

  it('says the history is empty', async () => {
    await renderWithMeshApis(
      <FindingsTrend />,
      mockServiceMeshApi({
        getFindingsTrend: jest.fn().mockResolvedValue({ ...body, points: [] }),
      }),
    );
    expect(
      await screen.findByText(/No snapshot was published in this window yet/),
    ).toBeInTheDocument();
  });

  it('shows a failed read as an error panel', async () => {
    await renderWithMeshApis(
      <FindingsTrend />,
      mockServiceMeshApi({
        getFindingsTrend: jest
          .fn()
          .mockRejectedValue(new Error('The findings trend store is down')),
      }),
    );
    expect(
      await screen.findAllByText(/The findings trend store is down/),
    ).not.toHaveLength(0);
  });
});
