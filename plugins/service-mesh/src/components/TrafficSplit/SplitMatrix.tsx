import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { tinted } from '../../utils/tones';
import type {
  ClientSplit,
  SimulationResult,
  UnreachableDestination,
} from '@internal/plugin-service-mesh-common';
import { formatLocality, formatPercent } from '../../utils/format';
import { clientKey, shareOf, SplitColumn } from './splitMatrix';

const useStyles = makeStyles(theme => ({
  caption: {
    captionSide: 'top',
    textAlign: 'left',
    padding: theme.spacing(1, 0),
    color: theme.palette.text.primary,
    fontWeight: 500,
  },
  cell: { textAlign: 'right', whiteSpace: 'nowrap' },
  // The client column stays as wide as its longest locality: a narrow one broke "region1/zone1" mid-word.
  client: { whiteSpace: 'nowrap' },
  zero: { fontWeight: 400 },
  some: { fontWeight: 700 },
  up: tinted(theme, 'info'),
  down: tinted(theme, 'warning'),
  failed: { ...tinted(theme, 'error'), fontWeight: 700 },
  failing: { ...tinted(theme, 'error'), fontWeight: 700 },
  cluster: { display: 'block', fontWeight: 400 },
  unreachable: { minWidth: 220 },
  unreachableList: { margin: 0, paddingLeft: theme.spacing(2) },
}));

/** "cluster3: not discovered (istiod cannot sync it, MESH012)" and the like, for a client's row. */
export function describeUnreachable(u: UnreachableDestination): string {
  const why = u.reasons.map(r => `${r.summary}, ${r.code}`).join('; ');
  let what = 'connections fail, so its share of requests fails';
  if (u.outcome === 'excluded') what = 'not discovered, so it gets no requests';
  else if (u.ejected)
    what =
      'connections fail; outlier detection ejects it, so it gets no requests';
  return `${u.cluster}: ${what}${why ? ` (${why})` : ''}`;
}

function UnreachableCell(props: { client: ClientSplit; className: string }) {
  const classes = useStyles();
  const list = props.client.unreachable ?? [];
  return (
    <TableCell className={`${props.className} ${classes.unreachable}`}>
      {list.length === 0 ? (
        '–'
      ) : (
        <ul className={classes.unreachableList}>
          {list.map(u => (
            <li key={u.cluster}>
              <Typography variant="body2" component="span">
                {describeUnreachable(u)}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </TableCell>
  );
}

export interface SplitMatrixProps {
  caption: string;
  result: SimulationResult;
  columns: SplitColumn[];
  /** The result to compare with: changed cells are highlighted with their delta. */
  baseline?: SimulationResult;
}

/** Client locality rows × destination locality columns, each cell the percent of that client's requests. */
export function SplitMatrix(props: SplitMatrixProps) {
  const classes = useStyles();
  const { result, columns, baseline } = props;
  const baselineClients = new Map(
    (baseline?.clients ?? []).map(client => [clientKey(client.client), client]),
  );
  // The reachability model's column: shown when some client cannot use some destination.
  const withReachability = result.clients.some(c => c.unreachable?.length);

  return (
    <TableContainer>
      <Table size="small">
        <caption className={classes.caption}>{props.caption}</caption>
        <TableHead>
          <TableRow>
            <TableCell className={classes.client}>Client locality</TableCell>
            {columns.map(column => (
              <TableCell key={column.key} className={classes.cell}>
                {formatLocality(column.locality)}
                <span className={classes.cluster}>{column.cluster}</span>
              </TableCell>
            ))}
            {withReachability && <TableCell>Cannot reach</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {result.clients.map(client => {
            const key = clientKey(client.client);
            const before = baselineClients.get(key);
            return (
              <TableRow key={key}>
                <TableCell
                  component="th"
                  scope="row"
                  role="rowheader"
                  className={classes.client}
                >
                  {formatLocality(client.client.locality)}
                  {client.client.cluster && (
                    <span className={classes.cluster}>
                      {client.client.cluster}
                    </span>
                  )}
                </TableCell>
                {client.noHealthyUpstream ? (
                  <TableCell
                    colSpan={columns.length}
                    className={classes.failed}
                  >
                    No healthy upstream: requests fail with 503
                  </TableCell>
                ) : (
                  columns.map(column => {
                    const share = shareOf(client, column);
                    const previous = before ? shareOf(before, column) : share;
                    const delta = Math.round((share - previous) * 10) / 10;
                    const fails = client.shares.some(
                      x =>
                        x.fails &&
                        x.share > 0 &&
                        x.cluster === column.cluster &&
                        x.region === column.locality.region &&
                        x.zone === column.locality.zone,
                    );
                    let changeClass = '';
                    if (baseline && delta > 0) changeClass = classes.up;
                    if (baseline && delta < 0) changeClass = classes.down;
                    if (fails) changeClass = classes.failing;
                    return (
                      <TableCell
                        key={column.key}
                        className={`${classes.cell} ${
                          share > 0 ? classes.some : classes.zero
                        } ${changeClass}`}
                      >
                        {formatPercent(share)}
                        {fails && ' fails'}
                        {baseline && delta !== 0 && (
                          <Typography variant="caption" component="span">
                            {' '}
                            ({delta > 0 ? '▲ +' : '▼ '}
                            {delta})
                          </Typography>
                        )}
                      </TableCell>
                    );
                  })
                )}
                {withReachability && (
                  <UnreachableCell client={client} className="" />
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
