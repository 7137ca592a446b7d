import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { problemText } from '../../utils/tones';
import type { EntityClusterView } from '@internal/plugin-service-mesh-common';
import { SectionCard } from '../SectionCard';
import { ClusterStatusChip, MtlsChip, StaleBadge } from '../StatusChips';

const useStyles = makeStyles(theme => ({
  stack: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
  },
  problem: problemText(theme),
  meter: {
    width: 120,
    height: 8,
    borderRadius: 4,
    backgroundColor: theme.palette.border,
    overflow: 'hidden',
  },
  meterFill: { height: '100%', backgroundColor: theme.palette.status.ok },
  meterFillLow: {
    height: '100%',
    backgroundColor: theme.palette.status.error,
  },
}));

export function coveragePercent(coverage: {
  pods: number;
  withSidecar: number;
}): number {
  return coverage.pods === 0
    ? 100
    : Math.round((coverage.withSidecar / coverage.pods) * 100);
}

function Coverage(props: { coverage: EntityClusterView['sidecarCoverage'] }) {
  const classes = useStyles();
  const { pods, withSidecar } = props.coverage;
  const percent = coveragePercent(props.coverage);
  if (pods === 0) return <Typography variant="body2">No pods</Typography>;
  return (
    <div className={classes.stack}>
      <Typography
        variant="body2"
        className={percent < 100 ? classes.problem : undefined}
      >
        {withSidecar}/{pods} pods with a sidecar ({percent}%)
      </Typography>
      <div className={classes.meter} aria-hidden="true">
        <div
          className={percent < 100 ? classes.meterFillLow : classes.meterFill}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}

export interface MeshMembershipTableProps {
  clusters: EntityClusterView[];
}

/** Per cluster: is the entity's namespace in the mesh, how many pods have a sidecar, and the mTLS mode. */
export function MeshMembershipTable(props: MeshMembershipTableProps) {
  const classes = useStyles();
  return (
    <SectionCard title="Mesh membership" noPadding>
      <TableContainer>
        <Table size="small" aria-label="Mesh membership per cluster">
          <TableHead>
            <TableRow>
              <TableCell>Cluster</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Region</TableCell>
              <TableCell>Network</TableCell>
              <TableCell>Namespace</TableCell>
              <TableCell>Sidecar coverage</TableCell>
              <TableCell>mTLS</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.clusters.map(view => (
              <TableRow key={view.cluster}>
                <TableCell component="th" scope="row" role="rowheader">
                  <strong>{view.cluster}</strong>
                </TableCell>
                <TableCell>
                  <div className={classes.stack}>
                    <ClusterStatusChip status={view.status} />
                    {view.status === 'stale' && (
                      <StaleBadge lastSyncedAt={view.lastSyncedAt} />
                    )}
                  </div>
                </TableCell>
                <TableCell>{view.region ?? '—'}</TableCell>
                <TableCell>{view.network ?? '—'}</TableCell>
                <TableCell>
                  <div className={classes.stack}>
                    {view.namespaces.map(ns => (
                      <Typography
                        key={ns.name}
                        variant="body2"
                        className={ns.onboarded ? undefined : classes.problem}
                      >
                        {ns.name}:{' '}
                        {ns.onboarded
                          ? `in the mesh${revisionNote(ns)}`
                          : 'not onboarded'}
                      </Typography>
                    ))}
                    {view.namespaces.length === 0 && '—'}
                  </div>
                </TableCell>
                <TableCell>
                  <Coverage coverage={view.sidecarCoverage} />
                </TableCell>
                <TableCell>
                  <MtlsChip mode={view.mtlsMode} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </SectionCard>
  );
}

/** ` (revision 1-22)`, or ` (revision tag prod → 1-22)` when the label names a revision tag. */
function revisionNote(ns: EntityClusterView['namespaces'][number]): string {
  if (!ns.revision) return '';
  return ns.resolvedRevision
    ? ` (revision tag ${ns.revision} → ${ns.resolvedRevision})`
    : ` (revision ${ns.revision})`;
}
