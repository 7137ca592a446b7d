import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { serviceMeshTranslationRef } from '../../translation';
import { makeStyles } from '@material-ui/core/styles';
import type {
  RefreshClusterProgress,
  RefreshProgress,
} from '@internal/plugin-service-mesh-common';
import { Tone, ToneChip } from '../StatusChips';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    margin: theme.spacing(0, 0, 2),
    padding: 0,
    listStyle: 'none',
    alignItems: 'center',
  },
}));

const TONE: Record<RefreshClusterProgress['state'], Tone> = {
  queued: 'neutral',
  reading: 'info',
  done: 'ok',
  failed: 'error',
};

function label(c: RefreshClusterProgress): string {
  const time =
    c.durationMs !== undefined
      ? ` in ${(c.durationMs / 1000).toFixed(1)} s`
      : '';
  return `${c.name}: ${c.state}${time}`;
}

/** Per-cluster progress of the refresh run, announced politely to screen readers as it changes. */
export function RefreshProgressList(props: { progress?: RefreshProgress }) {
  const classes = useStyles();
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const clusters = props.progress?.clusters ?? [];
  if (props.progress?.state !== 'running' || clusters.length === 0) return null;
  const done = clusters.filter(c => c.state === 'done' || c.state === 'failed');
  return (
    <div role="status" aria-live="polite" aria-label="Refresh progress">
      <Typography variant="body2">
        {t('refresh.progress', {
          done: String(done.length),
          total: String(clusters.length),
        })}
      </Typography>
      <ul className={classes.list}>
        {clusters.map(c => (
          <li key={c.name}>
            <ToneChip tone={TONE[c.state]} label={label(c)} title={c.error} />
          </li>
        ))}
      </ul>
    </div>
  );
}
