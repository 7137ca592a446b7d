import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { makeStyles } from '@material-ui/core/styles';
import {
  TIMESERIES_RANGES,
  type TimeSeriesRange,
} from '@internal/plugin-service-mesh-common';
import useAsync from 'react-use/esm/useAsync';
import { serviceMeshApiRef } from '../../api';
import { SectionCard } from '../SectionCard';
import { NoLiveData } from '../TrafficWindowSelector/NoLiveData';
import { chartData, formatValue, latest, TrendMetric } from './chartData';
import { useWidth } from './useWidth';

// uPlot and its CSS load with this chunk only, when the section is shown.
const TrendChart = lazy(() => import('./TrendChart'));

const useStyles = makeStyles(theme => ({
  chart: {
    '& .u-title, & .u-legend': { color: theme.palette.text.primary },
    '& .u-legend': { fontSize: '0.8rem' },
  },
  summary: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2) },
}));

const CHARTS: Array<{ metric: TrendMetric; title: string }> = [
  { metric: 'requestRate', title: 'Requests per second' },
  { metric: 'errorRatio', title: '5xx ratio' },
  { metric: 'p95Ms', title: 'p95 latency (ms)' },
];

function Chart(props: {
  series: Parameters<typeof chartData>[0];
  metric: TrendMetric;
  title: string;
}) {
  const classes = useStyles();
  const { ref, width } = useWidth();
  const data = useMemo(
    () => chartData(props.series, props.metric),
    [props.series, props.metric],
  );
  const format = useCallback(
    (v?: number) => formatValue(props.metric, v),
    [props.metric],
  );
  const now = latest(data);
  return (
    <figure
      ref={ref}
      className={classes.chart}
      aria-label={props.title}
      style={{ margin: 0 }}
    >
      <Suspense fallback={<Skeleton variant="rect" height={220} />}>
        <TrendChart
          data={data}
          format={format}
          title={props.title}
          width={width}
        />
      </Suspense>
      {/* The numbers for screen readers and for reading without the plot. */}
      <figcaption>
        <Typography variant="caption">Latest per cluster pair:</Typography>
        <ul className={classes.summary}>
          {now.map(l => (
            <li key={l.label}>
              <Typography variant="caption">
                {l.label}: {formatValue(props.metric, l.value)}
              </Typography>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** Request rate, 5xx ratio and p95 per cluster pair over 1 h, 6 h or 24 h (the metrics store's range queries). */
export function TrafficTrends() {
  const api = useApi(serviceMeshApiRef);
  const [range, setRange] = useState<TimeSeriesRange>('1h');
  const { value, loading, error } = useAsync(
    () => api.getTrafficTimeSeries(range),
    [api, range],
  );
  const selector = (
    <ButtonGroup size="small" aria-label="Time range">
      {TIMESERIES_RANGES.map(r => (
        <Button
          key={r}
          aria-pressed={r === range}
          variant={r === range ? 'contained' : 'outlined'}
          color="primary"
          onClick={() => setRange(r)}
        >
          {r}
        </Button>
      ))}
    </ButtonGroup>
  );
  let body;
  if (loading && !value) body = <Skeleton variant="rect" height={220} />;
  else if (error) body = <NoLiveData status="failed" reason={error.message} />;
  else if (!value || value.status !== 'ok')
    body = (
      <NoLiveData
        status={value?.status === 'ok' || !value ? 'error' : value.status}
        reason={value?.reason}
      />
    );
  else if (value.series.length === 0)
    body = (
      <Typography>No requests between the clusters in this range.</Typography>
    );
  else
    body = (
      <Grid container spacing={2}>
        {CHARTS.map(c => (
          <Grid item xs={12} md={4} key={c.metric}>
            <Chart series={value.series} metric={c.metric} title={c.title} />
          </Grid>
        ))}
      </Grid>
    );
  return (
    <SectionCard
      title="Traffic over time"
      subheader="Per cluster pair, from the mesh's metrics store (client-side Istio metrics)"
      action={selector}
    >
      {body}
    </SectionCard>
  );
}
