import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { problemText } from '../../utils/tones';
import Alert from '@material-ui/lab/Alert';
import type {
  Finding,
  ServiceTrafficView,
  TrafficThresholds,
} from '@internal/plugin-service-mesh-common';
import {
  formatErrorRatio,
  formatMs,
  formatRate,
} from '../TrafficWindowSelector';
import { TrafficSplitTable } from './TrafficSplitTable';

const useStyles = makeStyles(theme => ({
  section: { marginBottom: theme.spacing(3) },
  figures: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(4),
    margin: theme.spacing(1, 0, 2),
  },
  figure: { margin: 0 },
  term: { color: theme.palette.text.secondary, fontSize: '0.75rem' },
  value: { margin: 0, fontSize: '1.25rem', fontWeight: 500 },
  bad: problemText(theme),
  latency: { width: 'auto' },
  finding: { marginTop: theme.spacing(1) },
}));

export interface ServiceTrafficSectionProps {
  service: ServiceTrafficView;
  thresholds: TrafficThresholds;
  findings: Finding[];
}

/** One service: request rate, 5xx, latency local vs cross-cluster, the split table and its findings. */
export function ServiceTrafficSection(props: ServiceTrafficSectionProps) {
  const classes = useStyles();
  const { service, thresholds } = props;
  const { local, crossCluster } = service.latency;
  const slow =
    local.p95 !== undefined &&
    crossCluster.p95 !== undefined &&
    crossCluster.p95 > thresholds.crossClusterLatencyFactor * local.p95;

  return (
    <section
      className={classes.section}
      aria-label={`Live traffic of ${service.namespace}/${service.name}`}
    >
      <Typography variant="h6" component="h3">
        {service.namespace}/{service.name}
      </Typography>
      {service.requests === 0 ? (
        <Typography>No requests to this service in the window.</Typography>
      ) : (
        <>
          <dl className={classes.figures}>
            <div>
              <dt className={classes.term}>Requests</dt>
              <dd className={classes.value}>
                {formatRate(service.requestsPerSecond)}
              </dd>
            </div>
            <div>
              <dt className={classes.term}>5xx</dt>
              <dd
                className={`${classes.value} ${
                  service.errorRatio > thresholds.crossClusterErrorRatio
                    ? classes.bad
                    : ''
                }`}
              >
                {formatErrorRatio(service.errorRatio)}
              </dd>
            </div>
            <div>
              <dt className={classes.term}>Cross-cluster requests</dt>
              <dd className={classes.value}>
                {formatRate(service.crossCluster.requestsPerSecond)}
              </dd>
            </div>
            <div>
              <dt className={classes.term}>Cross-cluster 5xx</dt>
              <dd
                className={`${classes.value} ${
                  service.crossCluster.errorRatio >
                  thresholds.crossClusterErrorRatio
                    ? classes.bad
                    : ''
                }`}
              >
                {formatErrorRatio(service.crossCluster.errorRatio)}
              </dd>
            </div>
          </dl>
          <Table
            size="small"
            className={classes.latency}
            aria-label={`Latency of ${service.name}`}
          >
            <TableHead>
              <TableRow>
                <TableCell>Latency</TableCell>
                <TableCell align="right">p50</TableCell>
                <TableCell align="right">p95</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              <TableRow>
                <TableCell component="th" scope="row">
                  Local (same cluster)
                </TableCell>
                <TableCell align="right">{formatMs(local.p50)}</TableCell>
                <TableCell align="right">{formatMs(local.p95)}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell component="th" scope="row">
                  Cross-cluster
                </TableCell>
                <TableCell align="right">
                  {formatMs(crossCluster.p50)}
                </TableCell>
                <TableCell
                  align="right"
                  className={slow ? classes.bad : undefined}
                >
                  {formatMs(crossCluster.p95)}
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
          <TrafficSplitTable
            service={service}
            deviationPoints={thresholds.splitDeviationPoints}
            errorRatio={thresholds.crossClusterErrorRatio}
          />
        </>
      )}
      {props.findings.map(finding => (
        <Alert
          key={finding.id}
          severity={finding.severity === 'error' ? 'error' : 'warning'}
          className={classes.finding}
        >
          <strong>
            {finding.code} {finding.title}:
          </strong>{' '}
          {finding.message}
        </Alert>
      ))}
    </section>
  );
}
