import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { tinted } from '../../utils/tones';
import type { ClusterMeshStatus } from '@internal/plugin-service-mesh-common';
import { daysUntil } from '../../utils/format';
import { SectionCard } from '../SectionCard';
import { ToneChip } from '../StatusChips';
import { Timestamp } from '../Timestamp';

const useStyles = makeStyles(theme => ({
  group: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1.5),
    marginBottom: theme.spacing(1.5),
  },
  mismatch: { border: `2px solid ${theme.palette.status.error}` },
  fingerprint: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    wordBreak: 'break-all',
  },
  alert: {
    ...tinted(theme, 'error'),
    padding: theme.spacing(1, 1.5),
    borderRadius: theme.shape.borderRadius,
    marginBottom: theme.spacing(1.5),
    fontWeight: 500,
  },
  header: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    flexWrap: 'wrap',
    marginBottom: theme.spacing(0.5),
  },
}));

interface CaGroup {
  fingerprint: string;
  subject?: string;
  notAfter?: string;
  clusters: string[];
}

/** Members grouped by root-CA fingerprint, largest group first. */
export function groupByRootCa(clusters: ClusterMeshStatus[]): {
  groups: CaGroup[];
  unknown: string[];
} {
  const groups = new Map<string, CaGroup>();
  const unknown: string[] = [];
  for (const cluster of clusters.filter(c => c.role === 'member')) {
    if (!cluster.rootCA) {
      unknown.push(cluster.name);
      continue;
    }
    const group = groups.get(cluster.rootCA.fingerprint) ?? {
      ...cluster.rootCA,
      clusters: [],
    };
    group.clusters.push(cluster.name);
    groups.set(cluster.rootCA.fingerprint, group);
  }
  return {
    groups: [...groups.values()].sort(
      (a, b) => b.clusters.length - a.clusters.length,
    ),
    unknown,
  };
}

function Expiry(props: { notAfter?: string }) {
  if (!props.notAfter) return <>Expiry unknown</>;
  const days = daysUntil(props.notAfter);
  return (
    <>
      Expires <Timestamp value={props.notAfter} />{' '}
      {days < 0 && <ToneChip tone="error" label="Expired" />}
      {days >= 0 && days < 30 && (
        <ToneChip tone="warning" label={`Expires in ${days} days`} />
      )}
    </>
  );
}

export interface RootCaPanelProps {
  clusters: ClusterMeshStatus[];
}

/** Root-CA agreement: cross-cluster mTLS needs one root certificate everywhere. */
export function RootCaPanel(props: RootCaPanelProps) {
  const classes = useStyles();
  const { groups, unknown } = groupByRootCa(props.clusters);
  const mismatch = groups.length > 1;
  return (
    <SectionCard
      title="Root CA"
      subheader="Fingerprint of istio-ca-root-cert per cluster"
    >
      {groups.length === 0 && (
        <Typography>No root certificate could be read.</Typography>
      )}
      {mismatch && (
        <Box className={classes.alert} role="alert">
          Root CA differs across clusters: cross-cluster mTLS fails between
          these groups (MESH020).
        </Box>
      )}
      {groups.length === 1 && (
        <Typography variant="body2" gutterBottom>
          All {groups[0].clusters.length} member clusters share one root CA.
        </Typography>
      )}
      {groups.map((group, index) => (
        <section
          key={group.fingerprint}
          aria-label={`Root CA ${index + 1}: ${group.clusters.join(', ')}`}
          className={`${classes.group} ${mismatch ? classes.mismatch : ''}`}
        >
          <div className={classes.header}>
            <strong>{group.clusters.join(', ')}</strong>
            {mismatch && <ToneChip tone="error" label="Mismatch" />}
          </div>
          <Typography variant="body2" className={classes.fingerprint}>
            SHA-256 {group.fingerprint}
          </Typography>
          {group.subject && (
            <Typography variant="body2">Subject {group.subject}</Typography>
          )}
          <Typography variant="body2" component="div">
            <Expiry notAfter={group.notAfter} />
          </Typography>
        </section>
      ))}
      {unknown.length > 0 && (
        <Typography variant="body2">
          Root CA not read for: {unknown.join(', ')}.
        </Typography>
      )}
    </SectionCard>
  );
}
