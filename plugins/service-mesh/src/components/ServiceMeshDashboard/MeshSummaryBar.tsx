import { useState } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { serviceMeshTranslationRef } from '../../translation';
import { WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  OverviewResponse,
  RefreshProgress,
} from '@internal/plugin-service-mesh-common';
import { formatTime } from '../../utils/format';
import { countBySeverity } from '../../utils/severity';
import { RefreshButton } from '../RefreshButton';
import { RefreshProgressList } from '../RefreshProgress';
import { ToneChip } from '../StatusChips';
import { Timestamp } from '../Timestamp';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(2),
  },
  spacer: { flexGrow: 1 },
  warning: { marginBottom: theme.spacing(2) },
}));

export interface MeshSummaryBarProps {
  overview: OverviewResponse;
  onRefreshed(): void;
}

/** Snapshot time, mesh shape, finding counts, the refresh button and a banner for clusters not read. */
export function MeshSummaryBar(props: MeshSummaryBarProps) {
  const classes = useStyles();
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const { overview } = props;
  const members = overview.clusters.filter(c => c.role === 'member');
  const counts = countBySeverity(overview.findings);
  const pending = overview.status === 'pending';
  const notRead = pending
    ? []
    : overview.clusters.filter(c => c.status !== 'ok');
  const [progress, setProgress] = useState<RefreshProgress>();
  return (
    <>
      <div className={classes.bar}>
        <Typography variant="body1">
          {pending ? (
            t('summary.pending')
          ) : (
            <>
              {t('summary.snapshotFrom')}{' '}
              <Timestamp value={overview.generatedAt} relative />
            </>
          )}
        </Typography>
        <ToneChip
          tone="neutral"
          label={`${t('summary.memberClusters', {
            n: String(members.length),
          })}${overview.multiNetwork ? t('summary.multiNetwork') : ''}`}
        />
        {overview.managementCluster && (
          <ToneChip
            tone="neutral"
            label={t('summary.management', {
              name: overview.managementCluster,
            })}
          />
        )}
        <ToneChip
          tone={counts.error ? 'error' : 'ok'}
          label={t('summary.errors', { n: String(counts.error) })}
        />
        <ToneChip
          tone={counts.warning ? 'warning' : 'ok'}
          label={t('summary.warnings', { n: String(counts.warning) })}
        />
        <span className={classes.spacer} />
        <RefreshButton
          onRefreshed={props.onRefreshed}
          onProgress={setProgress}
        />
      </div>
      <RefreshProgressList progress={progress} />
      {notRead.length > 0 && (
        <div className={classes.warning}>
          <WarningPanel
            severity="warning"
            title={t('summary.notRead', {
              notRead: String(notRead.length),
              total: String(overview.clusters.length),
            })}
          >
            {notRead.map(cluster => (
              <Typography key={cluster.name} variant="body2">
                {cluster.name}: {cluster.status}
                {cluster.error ? ` (${cluster.error.message})` : ''}; last
                success {formatTime(cluster.lastSyncedAt)}
                {cluster.status === 'stale' ? ', showing that data' : ''}.
              </Typography>
            ))}
          </WarningPanel>
        </div>
      )}
    </>
  );
}
