import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { problemText } from '../../utils/tones';
import {
  CROSS_NETWORK_PORT,
  type ClusterMeshStatus,
} from '@internal/plugin-service-mesh-common';
import { SectionCard } from '../SectionCard';
import {
  ClusterStatusChip,
  GatewayHealthChip,
  StaleBadge,
  ToneChip,
} from '../StatusChips';
import { Timestamp } from '../Timestamp';

const useStyles = makeStyles(theme => ({
  stack: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
  },
  problem: problemText(theme),
  mono: { fontFamily: 'monospace', fontSize: '0.85rem' },
  nowrap: { whiteSpace: 'nowrap' },
}));

function phaseTone(phase?: string) {
  if (phase === 'Deployed') return 'ok' as const;
  if (phase && /fail|error/i.test(phase)) return 'error' as const;
  return 'warning' as const;
}

function StatusCell(props: { cluster: ClusterMeshStatus }) {
  const classes = useStyles();
  const { cluster } = props;
  return (
    <div className={classes.stack}>
      <ClusterStatusChip status={cluster.status} />
      {cluster.status === 'stale' && (
        <StaleBadge lastSyncedAt={cluster.lastSyncedAt} />
      )}
      {cluster.status !== 'ok' && cluster.status !== 'stale' && (
        <Typography variant="body2">
          Last success: <Timestamp value={cluster.lastSyncedAt} />
        </Typography>
      )}
      {cluster.error && (
        <Typography variant="body2" className={classes.problem}>
          {cluster.error.code}: {cluster.error.message}
          {cluster.error.rbacRule && (
            <>
              <br />
              <span className={classes.mono}>{cluster.error.rbacRule}</span>
            </>
          )}
        </Typography>
      )}
    </div>
  );
}

function ServiceMeshCell(props: { cluster: ClusterMeshStatus }) {
  const classes = useStyles();
  const mesh = props.cluster.serviceMesh;
  if (!mesh) {
    return (
      <Typography variant="body2">
        {props.cluster.role === 'management'
          ? 'Holds the ServiceMesh resources'
          : 'No ServiceMesh resource'}
      </Typography>
    );
  }
  const upgrading =
    mesh.desiredVersion !== undefined && mesh.version !== mesh.desiredVersion;
  return (
    <div className={classes.stack}>
      <ToneChip tone={phaseTone(mesh.phase)} label={mesh.phase ?? 'Unknown'} />
      <Typography variant="body2">
        Version {mesh.version ?? 'unknown'}
        {upgrading && (
          <span className={classes.problem}>
            {' '}
            (desired {mesh.desiredVersion})
          </span>
        )}
      </Typography>
      {mesh.istioVersion && (
        <Typography variant="body2">Istio {mesh.istioVersion}</Typography>
      )}
    </div>
  );
}

function ControlPlanesCell(props: { cluster: ClusterMeshStatus }) {
  const classes = useStyles();
  const planes = props.cluster.controlPlanes;
  if (planes.length === 0) {
    return <Typography variant="body2">None</Typography>;
  }
  return (
    <div className={classes.stack}>
      {planes.map(plane => (
        <Typography
          key={plane.revision}
          variant="body2"
          className={
            plane.readyReplicas === 0 ? classes.problem : classes.nowrap
          }
        >
          <strong>{plane.revision}</strong>: {plane.version ?? 'unknown'} (
          {plane.readyReplicas}/{plane.desiredReplicas} ready)
        </Typography>
      ))}
    </div>
  );
}

function GatewayCell(props: {
  cluster: ClusterMeshStatus;
  multiNetwork: boolean;
}) {
  const classes = useStyles();
  const gateway = props.cluster.eastWestGateway;
  if (gateway.health === 'absent') {
    return (
      <div className={classes.stack}>
        <GatewayHealthChip health="absent" />
        {props.multiNetwork && props.cluster.role === 'member' && (
          <Typography variant="body2" className={classes.problem}>
            Needed: the mesh spans several networks
          </Typography>
        )}
      </div>
    );
  }
  return (
    <div className={classes.stack}>
      <GatewayHealthChip health={gateway.health} />
      <Typography variant="body2">
        {gateway.readyReplicas}/{gateway.desiredReplicas} replicas ready
      </Typography>
      {gateway.addresses.length > 0 ? (
        <Typography variant="body2" className={classes.mono}>
          {gateway.addresses.join(', ')}
        </Typography>
      ) : (
        <Typography variant="body2" className={classes.problem}>
          No external address
        </Typography>
      )}
      <Typography variant="body2">
        Ports {gateway.ports.length ? gateway.ports.join(', ') : 'none'}
        {!gateway.ports.includes(CROSS_NETWORK_PORT) && (
          <span className={classes.problem}>
            {' '}
            ({CROSS_NETWORK_PORT} missing)
          </span>
        )}
      </Typography>
    </div>
  );
}

export interface MeshClustersTableProps {
  clusters: ClusterMeshStatus[];
  multiNetwork: boolean;
}

/** Every cluster: collection status, ServiceMesh, control planes and east-west gateway. */
export function MeshClustersTable(props: MeshClustersTableProps) {
  const classes = useStyles();
  return (
    <SectionCard title="Clusters" noPadding>
      <TableContainer>
        <Table size="small" aria-label="Clusters of the mesh">
          <TableHead>
            <TableRow>
              <TableCell>Cluster</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Region</TableCell>
              <TableCell>Network</TableCell>
              <TableCell>ServiceMesh</TableCell>
              <TableCell>Control planes</TableCell>
              <TableCell>East-west gateway</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.clusters.map(cluster => (
              <TableRow key={cluster.name}>
                <TableCell component="th" scope="row" role="rowheader">
                  <div className={classes.stack}>
                    <strong>{cluster.name}</strong>
                    {cluster.role === 'management' && (
                      <ToneChip tone="neutral" label="Management" />
                    )}
                  </div>
                </TableCell>
                <TableCell>
                  <StatusCell cluster={cluster} />
                </TableCell>
                <TableCell>{cluster.region ?? '—'}</TableCell>
                <TableCell>{cluster.network ?? '—'}</TableCell>
                <TableCell>
                  <ServiceMeshCell cluster={cluster} />
                </TableCell>
                <TableCell>
                  <ControlPlanesCell cluster={cluster} />
                </TableCell>
                <TableCell>
                  <GatewayCell
                    cluster={cluster}
                    multiNetwork={props.multiNetwork}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </SectionCard>
  );
}
