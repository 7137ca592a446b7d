import { useState } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ClusterPairReachability,
  Finding,
  ReachabilityMatrix as Matrix,
} from '@internal/plugin-service-mesh-common';
import { tinted } from '../../utils/tones';
import { SectionCard } from '../SectionCard';
import { VisuallyHidden } from '../VisuallyHidden';
import { cellLabel, cellLines, pairIndex, pairKey } from './describe';
import { ReachabilityDialog } from './ReachabilityDialog';

const useStyles = makeStyles(theme => ({
  cell: { padding: theme.spacing(0.5), verticalAlign: 'top' },
  button: {
    display: 'block',
    width: '100%',
    minWidth: 120,
    textAlign: 'left',
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.borderRadius,
    font: 'inherit',
    border: 0,
    cursor: 'pointer',
    backgroundColor: 'transparent',
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 1,
    },
  },
  reachable: { color: theme.palette.text.primary },
  fails: { ...tinted(theme, 'error'), fontWeight: 700 },
  excluded: { ...tinted(theme, 'warning'), fontWeight: 700 },
  self: { color: theme.palette.text.secondary },
  line: { display: 'block', whiteSpace: 'nowrap' },
  note: { padding: theme.spacing(1, 2) },
}));

const MARK = { reachable: '✓', fails: '✗', excluded: '⊘' } as const;

function PairCell(props: {
  pair?: ClusterPairReachability;
  onOpen: (pair: ClusterPairReachability) => void;
}) {
  const classes = useStyles();
  const { pair } = props;
  if (!pair) return <TableCell className={classes.cell}>–</TableCell>;
  if (pair.from === pair.to) {
    return (
      <TableCell className={`${classes.cell} ${classes.self}`}>
        <span aria-hidden="true">—</span>
        <VisuallyHidden>same cluster</VisuallyHidden>
      </TableCell>
    );
  }
  const lines = cellLines(pair);
  const tip = [
    ...pair.discovered.reasons,
    ...pair.routable.reasons,
    ...pair.trusted.reasons,
  ].map(r => `${r.code}: ${r.summary}`);
  return (
    <TableCell className={classes.cell} data-outcome={pair.outcome}>
      <Tooltip
        title={
          <>
            {lines.map(l => (
              <span key={l} className={classes.line}>
                {l}
              </span>
            ))}
            {tip.map(l => (
              <span key={l} className={classes.line}>
                {l}
              </span>
            ))}
            <span className={classes.line}>Open for the details.</span>
          </>
        }
      >
        <button
          type="button"
          className={`${classes.button} ${classes[pair.outcome]}`}
          aria-label={cellLabel(pair)}
          aria-haspopup="dialog"
          onClick={() => props.onOpen(pair)}
        >
          {lines.map((l, i) => (
            <span key={l} className={classes.line}>
              {i === 0 && <span aria-hidden="true">{MARK[pair.outcome]} </span>}
              {l}
            </span>
          ))}
        </button>
      </Tooltip>
    </TableCell>
  );
}

export interface ReachabilityMatrixProps {
  matrix: Matrix;
  findings: Finding[];
}

/**
 * The reachability model on the dashboard: a row per client cluster, a column per destination cluster; each cell
 * says whether the client discovers, can route to and trusts the destination's endpoints, and why not.
 */
export function ReachabilityMatrix(props: ReachabilityMatrixProps) {
  const classes = useStyles();
  const { matrix } = props;
  const [open, setOpen] = useState<ClusterPairReachability>();
  const pairs = pairIndex(matrix);
  const blocked = matrix.pairs.filter(p => p.outcome !== 'reachable').length;

  return (
    <SectionCard
      title="Reachability"
      subheader={`Rows: the client cluster. Columns: the destination cluster. ${
        blocked === 0
          ? 'Every client reaches every destination.'
          : `${blocked} of ${
              matrix.pairs.length - matrix.clusters.length
            } pairs cannot use the destination's endpoints.`
      } Open a cell for the reasons.`}
      noPadding
    >
      {matrix.clusters.length < 2 ? (
        <Typography className={classes.note}>
          The mesh has fewer than two member clusters.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label="Reachability matrix">
            <TableHead>
              <TableRow>
                <TableCell>Client \ Destination</TableCell>
                {matrix.clusters.map(to => (
                  <TableCell key={to}>{to}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {matrix.clusters.map(from => (
                <TableRow key={from}>
                  <TableCell component="th" scope="row" role="rowheader">
                    {from}
                  </TableCell>
                  {matrix.clusters.map(to => (
                    <PairCell
                      key={to}
                      pair={pairs.get(pairKey(from, to))}
                      onOpen={setOpen}
                    />
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      <ReachabilityDialog
        pair={open}
        findings={props.findings}
        onClose={() => setOpen(undefined)}
      />
    </SectionCard>
  );
}
