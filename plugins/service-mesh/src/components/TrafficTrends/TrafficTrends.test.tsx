import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TrafficTimeSeriesResponse } from '@internal/plugin-service-mesh-common';
import { mockServiceMeshApi, renderWithMeshApis } from '../../__testUtils__';
import { chartData, latest } from './chartData';
import { TrafficTrends } from './TrafficTrends';

// jsdom has no canvas: the plot itself is seen in the browser tests; here the lazily loaded chart is a probe.
jest.mock('./TrendChart', () => ({
  __esModule: true,
  default: (props: { title: string; data: { labels: string[] } }) => (
    <div data-testid="chart">
      {props.title}: {props.data.labels.join(', ')}
    </div>
  ),
}));

const body: TrafficTimeSeriesResponse = {
  status: 'ok',
  range: '1h',
  stepSeconds: 60,
  generatedAt: '2025-11-21T10:00:00.000Z',
  series: [
    {
      source: 'cluster1',
      destination: 'cluster1',
      metric: 'requestRate',
      points: [
        [60, 30],
        [120, 31.5],
      ],
    },
    {
      source: 'cluster1',
      destination: 'cluster2',
      metric: 'requestRate',
      points: [[120, 8]],
    },
    {
      source: 'cluster1',
      destination: 'cluster2',
      metric: 'errorRatio',
      points: [[60, 0.015]],
    },
    {
      source: 'cluster1',
      destination: 'cluster2',
      metric: 'p95Ms',
      points: [[60, 212.4]],
    },
  ],
};

describe('chartData', () => {
  it('aligns the series of one metric on shared time stamps, with gaps as null', () => {
    const data = chartData(body.series, 'requestRate');
    expect(data.labels).toEqual(['cluster1 → cluster1', 'cluster1 → cluster2']);
    expect(data.columns).toEqual([
      [60, 120],
      [30, 31.5],
      [null, 8],
    ]);
    expect(latest(data)).toEqual([
      { label: 'cluster1 → cluster1', value: 31.5 },
      { label: 'cluster1 → cluster2', value: 8 },
    ]);
  });
});

describe('TrafficTrends', () => {
  it('plots rate, 5xx ratio and p95 per cluster pair, and reloads for another range', async () => {
    const api = mockServiceMeshApi({
      getTrafficTimeSeries: jest.fn().mockResolvedValue(body),
    });
    await renderWithMeshApis(<TrafficTrends />, api);
    expect(await screen.findAllByTestId('chart')).toHaveLength(3);
    const rate = screen.getByRole('figure', { name: 'Requests per second' });
    expect(rate).toHaveTextContent('cluster1 → cluster2: 8.00 req/s');
    expect(screen.getByRole('figure', { name: '5xx ratio' })).toHaveTextContent(
      '1.50% 5xx',
    );
    expect(
      screen.getByRole('figure', { name: 'p95 latency (ms)' }),
    ).toHaveTextContent('212 ms p95');
    expect(api.getTrafficTimeSeries).toHaveBeenLastCalledWith('1h');
    await userEvent.click(
      within(screen.getByRole('group', { name: 'Time range' })).getByRole(
        'button',
        { name: '24h' },
      ),
    );
    expect(api.getTrafficTimeSeries).toHaveBeenLastCalledWith('24h');
  });

  it('says why there is no live data instead of failing', async () => {
    await renderWithMeshApis(
      <TrafficTrends />,
      mockServiceMeshApi({
        getTrafficTimeSeries: jest.fn().mockResolvedValue({
          ...body,
          status: 'unreachable',
          reason: 'The metrics store did not answer within 5s',
          series: [],
        }),
      }),
    );
    expect(await screen.findByText('No live data')).toBeInTheDocument();
    expect(screen.getByText(/did not answer within 5s/)).toBeInTheDocument();
  });
});
