import { Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Finding } from '@internal/plugin-service-mesh-common';
import { countBySeverity, sortFindings } from '../../utils/severity';
import { SectionCard } from '../SectionCard';
import { SeverityChip } from '../StatusChips';
import { FindingDialog } from './FindingDialog';
import { FindingFilters } from './FindingFilters';
import { filterFindings } from './filterFindings';
import { useFindingsParams } from './useFindingsParams';

const useStyles = makeStyles(theme => ({
  hint: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    maxWidth: 420,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  empty: { padding: theme.spacing(2) },
  code: { whiteSpace: 'nowrap', fontFamily: 'monospace' },
}));

export interface FindingsTableProps {
  findings: Finding[];
  /** Section title; defaults to "Findings". */
  title?: string;
  /** Show the filter bar; default true. */
  filterable?: boolean;
  /** Text when there are no findings at all. */
  emptyText?: string;
}

function summary(findings: Finding[]): string {
  const counts = countBySeverity(findings);
  return `${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`;
}

/** Findings, most severe first; filters and the open finding live in the URL so they can be shared. */
export function FindingsTable(props: FindingsTableProps) {
  const classes = useStyles();
  const { filter, setFilter, openFindingId, closeFinding, findingLink } =
    useFindingsParams();
  const all = sortFindings(props.findings);
  const shown = filterFindings(all, filter);
  const open = openFindingId
    ? all.find(finding => finding.id === openFindingId)
    : undefined;

  return (
    <SectionCard
      title={props.title ?? 'Findings'}
      subheader={summary(props.findings)}
      noPadding
    >
      {props.filterable !== false && all.length > 0 && (
        <FindingFilters findings={all} filter={filter} onChange={setFilter} />
      )}
      {all.length === 0 ? (
        <Typography className={classes.empty}>
          {props.emptyText ?? 'No findings: the mesh checks all pass.'}
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label="Findings">
            <TableHead>
              <TableRow>
                <TableCell>Severity</TableCell>
                <TableCell>Code</TableCell>
                <TableCell>Title</TableCell>
                <TableCell>Clusters</TableCell>
                <TableCell>Fix hint</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.map(finding => (
                <TableRow key={finding.id} selected={finding.id === open?.id}>
                  <TableCell>
                    <SeverityChip severity={finding.severity} />
                  </TableCell>
                  <TableCell className={classes.code}>{finding.code}</TableCell>
                  <TableCell component="th" scope="row" role="rowheader">
                    <Link to={findingLink(finding.id)}>{finding.title}</Link>
                    <Typography variant="body2">{finding.message}</Typography>
                  </TableCell>
                  <TableCell>{finding.clusters.join(', ') || '—'}</TableCell>
                  <TableCell>
                    <div className={classes.hint} title={finding.hint}>
                      {finding.hint}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
              {shown.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5}>
                    No finding matches the filters.
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      <FindingDialog
        findingId={openFindingId}
        finding={open}
        onClose={closeFinding}
      />
    </SectionCard>
  );
}
