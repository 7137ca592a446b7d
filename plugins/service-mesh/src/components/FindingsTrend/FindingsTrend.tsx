import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ResponseErrorPanel } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { makeStyles } from '@material-ui/core/styles';
import {
  FINDINGS_TREND_WINDOWS,
  type FindingsTrendWindow,
} from '@internal/plugin-service-mesh-common';
import useAsync from 'react-use/esm/useAsync';
import { serviceMeshApiRef } from '../../api';
import { serviceMeshTranslationRef } from '../../translation';
import { SectionCard } from '../SectionCard';
import { useWidth } from '../TrafficTrends';
import { trendClusters, trendData } from './trendData';

// The same lazily loaded uPlot chunk as the traffic plots.
const TrendChart = lazy(() => import('../TrafficTrends/TrendChart'));

const useStyles = makeStyles(theme => ({
  chart: {
    margin: 0,
    '& .u-title, & .u-legend': { color: theme.palette.text.primary },
    '& .u-legend': { fontSize: '0.8rem' },
  },
  controls: { display: 'flex', gap: theme.spacing(1), alignItems: 'center' },
  cluster: { minWidth: 160 },
}));

const ALL = '';

/**
 * Findings by severity over time: one point per published snapshot (`GET /findings/trend`), reloaded when the
 * dashboard shows a new snapshot (`generatedAt`).
 */
export function FindingsTrend(props: { generatedAt?: string }) {
  const api = useApi(serviceMeshApiRef);
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const classes = useStyles();
  const { ref, width } = useWidth();
  const [window, setWindow] = useState<FindingsTrendWindow>('24h');
  const [cluster, setCluster] = useState(ALL);
  const { value, loading, error } = useAsync(
    () => api.getFindingsTrend(window),
    [api, window, props.generatedAt],
  );
  const labels = useMemo(
    () => ({
      error: t('findingsTrend.errors'),
      warning: t('findingsTrend.warnings'),
      info: t('findingsTrend.info'),
    }),
    [t],
  );
  const points = useMemo(() => value?.points ?? [], [value]);
  const clusters = useMemo(() => trendClusters(points), [points]);
  const data = useMemo(
    () => trendData(points, labels, cluster || undefined),
    [points, labels, cluster],
  );
  const format = useCallback(
    (v?: number) => (v === undefined ? '—' : String(Math.round(v))),
    [],
  );
  const title = t('findingsTrend.chartTitle');

  const controls = (
    <div className={classes.controls}>
      <TextField
        select
        size="small"
        variant="outlined"
        className={classes.cluster}
        id="service-mesh-findings-trend-cluster"
        SelectProps={{ displayEmpty: true }}
        InputLabelProps={{ shrink: true }}
        label={t('findingsTrend.cluster')}
        value={cluster}
        onChange={e => setCluster(e.target.value)}
      >
        <MenuItem value={ALL}>{t('findingsTrend.allClusters')}</MenuItem>
        {clusters.map(c => (
          <MenuItem key={c} value={c}>
            {c}
          </MenuItem>
        ))}
      </TextField>
      <ButtonGroup size="small" aria-label={t('findingsTrend.window')}>
        {FINDINGS_TREND_WINDOWS.map(w => (
          <Button
            key={w}
            aria-pressed={w === window}
            variant={w === window ? 'contained' : 'outlined'}
            color="primary"
            onClick={() => setWindow(w)}
          >
            {w}
          </Button>
        ))}
      </ButtonGroup>
    </div>
  );

  let body;
  if (loading && !value) body = <Skeleton variant="rect" height={220} />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (points.length === 0)
    body = <Typography>{t('findingsTrend.empty')}</Typography>;
  else {
    const last = data.columns.map(column => column[column.length - 1]);
    body = (
      <figure className={classes.chart} aria-label={title}>
        <Suspense fallback={<Skeleton variant="rect" height={220} />}>
          <TrendChart
            data={data}
            format={format}
            title={title}
            width={width}
            palette="severity"
            stepped
          />
        </Suspense>
        {/* The numbers for screen readers and for reading without the plot. */}
        <figcaption>
          <Typography variant="caption">
            {t('findingsTrend.latest', {
              points: String(points.length),
              errors: String(last[1]),
              warnings: String(last[2]),
              info: String(last[3]),
            })}
          </Typography>
        </figcaption>
      </figure>
    );
  }
  return (
    <SectionCard
      title={t('findingsTrend.title')}
      subheader={t('findingsTrend.subheader')}
      action={controls}
    >
      <div ref={ref}>{body}</div>
    </SectionCard>
  );
}
