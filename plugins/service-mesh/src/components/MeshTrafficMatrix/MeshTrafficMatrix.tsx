import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { tinted } from '../../utils/tones';
import type { MeshTrafficResponse } from '@internal/plugin-service-mesh-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { serviceMeshApiRef } from '../../api';
import { SectionCard } from '../SectionCard';
import { errorMessage } from '../TrafficWindowSelector/errorMessage';
import { Timestamp } from '../Timestamp';
import {
  formatErrorRatio,
  formatRate,
  NoLiveData,
  TrafficWindowSelector,
  useTrafficWindow,
} from '../TrafficWindowSelector';

const useStyles = makeStyles(theme => ({
  cell: { textAlign: 'right', whiteSpace: 'nowrap' },
  local: { backgroundColor: theme.palette.action.hover },
  rate: { display: 'block', fontWeight: 700 },
  errors: { display: 'block', fontSize: '0.75rem' },
  bad: {
    ...tinted(theme, 'error'),
    outline: `2px solid ${theme.palette.status.error}`,
    outlineOffset: -2,
  },
  footer: {
    padding: theme.spacing(1, 2),
    color: theme.palette.text.secondary,
  },
  note: { padding: theme.spacing(2) },
}));

function Matrix(props: { traffic: MeshTrafficResponse }) {
  const classes = useStyles();
  const { traffic } = props;
  const edge = (source: string, destination: string) =>
    traffic.edges.find(
      e => e.sourceCluster === source && e.destinationCluster === destination,
    );
  const sources = traffic.clusters.filter(c =>
    traffic.edges.some(e => e.sourceCluster === c),
  );
  const destinations = traffic.clusters.filter(c =>
    traffic.edges.some(e => e.destinationCluster === c),
  );
  return (
    <TableContainer>
      <Table size="small" aria-label="Cluster-to-cluster traffic">
        <TableHead>
          <TableRow>
            <TableCell>From \ To</TableCell>
            {destinations.map(d => (
              <TableCell key={d} className={classes.cell}>
                {d}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {sources.map(source => (
            <TableRow key={source}>
              <TableCell component="th" scope="row">
                {source}
              </TableCell>
              {destinations.map(destination => {
                const e = edge(source, destination);
                const bad =
                  e !== undefined &&
                  source !== destination &&
                  e.errorRatio > traffic.thresholds.crossClusterErrorRatio;
                return (
                  <TableCell
                    key={destination}
                    className={`${classes.cell} ${
                      source === destination ? classes.local : ''
                    } ${bad ? classes.bad : ''}`}
                  >
                    {e ? (
                      <>
                        <span className={classes.rate}>
                          {formatRate(e.requestsPerSecond)}
                        </span>
                        <span className={classes.errors}>
                          5xx {formatErrorRatio(e.errorRatio)}
                        </span>
                      </>
                    ) : (
                      '–'
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** Requests per second and 5xx ratio between every pair of clusters, all services together. */
export function MeshTrafficMatrix() {
  const classes = useStyles();
  const api = useApi(serviceMeshApiRef);
  const [trafficWindow, setTrafficWindow] = useTrafficWindow();
  const { value, loading, error } = useAsyncRetry(
    () => api.getMeshTraffic(trafficWindow),
    [api, trafficWindow],
  );

  let body;
  if (error) {
    body = (
      <WarningPanel
        severity="warning"
        title="Live traffic could not be loaded"
        message={errorMessage(error)}
      />
    );
  } else if (!value) {
    body = (
      <Typography className={classes.note}>Loading live traffic…</Typography>
    );
  } else if (value.status !== 'ok') {
    body = <NoLiveData status={value.status} reason={value.reason} />;
  } else if (value.edges.length === 0) {
    body = (
      <Typography className={classes.note}>
        No requests between mesh services in the last {value.window}.
      </Typography>
    );
  } else {
    const counts = new Map<string, number>();
    for (const f of value.findings)
      counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
    body = (
      <>
        <Matrix traffic={value} />
        <Typography variant="body2" className={classes.footer}>
          {value.findings.length === 0
            ? 'Live traffic follows the traffic policies: no MESH080/081 in this window.'
            : `${[...counts.entries()]
                .map(([code, n]) => `${n} × ${code}`)
                .join(', ')} in this window (see Findings).`}{' '}
          Measured <Timestamp value={value.generatedAt} /> from{' '}
          {value.source?.url}.
        </Typography>
      </>
    );
  }

  return (
    <SectionCard
      title="Cluster-to-cluster traffic"
      subheader={`Requests per second and 5xx ratio from each cluster (rows) to each cluster (columns) over the last ${trafficWindow}`}
      action={
        <TrafficWindowSelector
          value={trafficWindow}
          onChange={setTrafficWindow}
        />
      }
      noPadding
    >
      {loading && value && (
        <LinearProgress aria-label="Reloading cluster-to-cluster traffic" />
      )}
      {body}
    </SectionCard>
  );
}
