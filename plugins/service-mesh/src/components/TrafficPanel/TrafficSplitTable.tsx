import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import { problemText, tinted } from '../../utils/tones';
import type {
  ServiceTrafficView,
  TrafficDestinationView,
} from '@internal/plugin-service-mesh-common';
import { formatLocality, formatPercent } from '../../utils/format';
import { formatErrorRatio, formatRate } from '../TrafficWindowSelector';

const useStyles = makeStyles(theme => ({
  caption: {
    captionSide: 'top',
    textAlign: 'left',
    padding: theme.spacing(1, 0),
    color: theme.palette.text.primary,
    fontWeight: 500,
  },
  cell: { textAlign: 'right', whiteSpace: 'nowrap', verticalAlign: 'top' },
  // Headers and the client column never break mid-word ("DestinationRule", cluster names).
  nowrap: { whiteSpace: 'nowrap', verticalAlign: 'top' },
  actual: { fontWeight: 700, display: 'block' },
  expected: { display: 'block', color: theme.palette.text.secondary },
  off: {
    ...tinted(theme, 'warning'),
    outline: `2px solid ${theme.palette.status.warning}`,
    outlineOffset: -2,
  },
  delta: { display: 'block', fontWeight: 700 },
  detail: { display: 'block', fontWeight: 400, fontSize: '0.75rem' },
  errors: { ...problemText(theme), display: 'block', fontWeight: 700 },
}));

export interface TrafficSplitTableProps {
  service: ServiceTrafficView;
  /** Cells whose actual share differs from the expected one by more than this are highlighted (MESH080). */
  deviationPoints: number;
  /** A 5xx ratio above this is shown in red (MESH081). */
  errorRatio: number;
}

function destinationsOf(service: ServiceTrafficView): string[] {
  const names = new Set<string>();
  for (const source of service.sources)
    for (const d of source.destinations) names.add(d.cluster);
  return [...names].sort();
}

/**
 * Source cluster rows × destination cluster columns: the share of the source's requests that each destination
 * got, next to the share the traffic policies predict.
 */
export function TrafficSplitTable(props: TrafficSplitTableProps) {
  const classes = useStyles();
  const { service } = props;
  const destinations = destinationsOf(service);

  function cell(d: TrafficDestinationView | undefined, enough: boolean) {
    if (!d) return '–';
    const off =
      enough &&
      d.deviation !== undefined &&
      Math.abs(d.deviation) > props.deviationPoints;
    return (
      <>
        <span className={classes.actual}>{formatPercent(d.actualShare)}</span>
        {d.expectedShare !== undefined && (
          <span className={classes.expected}>
            expected {formatPercent(d.expectedShare)}
          </span>
        )}
        {off && (
          <span className={classes.delta}>
            {d.deviation! > 0 ? '▲ +' : '▼ −'}
            {Math.round(Math.abs(d.deviation!))} pts
          </span>
        )}
        {d.requestsPerSecond > 0 && (
          <span className={classes.detail}>
            {formatRate(d.requestsPerSecond)}
          </span>
        )}
        {d.errorRatio > props.errorRatio && (
          <span className={classes.errors}>
            5xx {formatErrorRatio(d.errorRatio)}
          </span>
        )}
      </>
    );
  }

  return (
    <TableContainer>
      <Table size="small">
        <caption className={classes.caption}>
          Actual split of {service.namespace}/{service.name} (bold) and the
          split the traffic policies predict, per client cluster
        </caption>
        <TableHead>
          <TableRow>
            <TableCell className={classes.nowrap}>Client cluster</TableCell>
            {destinations.map(name => (
              <TableCell key={name} className={classes.cell}>
                → {name}
              </TableCell>
            ))}
            <TableCell className={classes.nowrap}>Expected by</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {service.sources.map(source => (
            <TableRow key={source.cluster}>
              <TableCell component="th" scope="row" className={classes.nowrap}>
                {source.cluster}
                <span className={classes.detail}>
                  {source.localities.map(formatLocality).join(', ') ||
                    '(locality unknown)'}
                </span>
                <span className={classes.detail}>
                  {formatRate(source.requestsPerSecond)}
                  {source.enoughVolume ? '' : ' · too few requests to compare'}
                </span>
              </TableCell>
              {destinations.map(name => {
                const d = source.destinations.find(x => x.cluster === name);
                const off =
                  source.enoughVolume &&
                  d?.deviation !== undefined &&
                  Math.abs(d.deviation) > props.deviationPoints;
                return (
                  <TableCell
                    key={name}
                    className={`${classes.cell} ${off ? classes.off : ''}`}
                  >
                    {cell(d, source.enoughVolume)}
                  </TableCell>
                );
              })}
              <TableCell className={classes.nowrap}>
                {source.expectation ? (
                  <>
                    {source.expectation.mode}
                    <span className={classes.detail}>
                      {source.expectation.policy
                        ? `DestinationRule ${source.expectation.policy}`
                        : 'no DestinationRule'}
                    </span>
                  </>
                ) : (
                  'no expectation (cluster not in the snapshot)'
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
