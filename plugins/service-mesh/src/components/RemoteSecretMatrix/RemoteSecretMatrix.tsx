import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { statusFill, tinted } from '../../utils/tones';
import type { ClusterMeshStatus } from '@internal/plugin-service-mesh-common';
import { SectionCard } from '../SectionCard';
import { VisuallyHidden } from '../VisuallyHidden';

const useStyles = makeStyles(theme => ({
  present: { ...statusFill(theme, 'ok'), fontWeight: 500 },
  missing: {
    ...tinted(theme, 'error'),
    fontWeight: 700,
    outline: `2px solid ${theme.palette.status.error}`,
    outlineOffset: -2,
  },
  self: { color: theme.palette.text.primary },
  cell: { textAlign: 'center', whiteSpace: 'nowrap' },
  note: { padding: theme.spacing(1, 2) },
}));

export interface RemoteSecretMatrixProps {
  clusters: ClusterMeshStatus[];
}

/**
 * Who can discover whom: row cluster's istiod holds a remote secret for the column cluster. Multi-primary
 * needs every off-diagonal cell.
 */
export function RemoteSecretMatrix(props: RemoteSecretMatrixProps) {
  const classes = useStyles();
  const members = props.clusters.filter(c => c.role === 'member');
  const names = new Set(members.map(c => c.name));
  const missing = members.flatMap(source =>
    members
      .filter(
        target =>
          target.name !== source.name &&
          !source.remoteSecrets.includes(target.name),
      )
      .map(target => `${source.name} → ${target.name}`),
  );
  const outside = members.flatMap(source =>
    source.remoteSecrets
      .filter(target => !names.has(target))
      .map(target => `${source.name} → ${target}`),
  );

  return (
    <SectionCard
      title="Remote secrets"
      subheader="Rows: the cluster whose istiod holds the secret. Columns: the cluster it can discover."
      noPadding
    >
      {members.length < 2 ? (
        <Typography className={classes.note}>
          The mesh has fewer than two member clusters: no remote secrets are
          needed.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label="Remote secret matrix">
            <TableHead>
              <TableRow>
                <TableCell>Holder \ Discovers</TableCell>
                {members.map(target => (
                  <TableCell key={target.name} className={classes.cell}>
                    {target.name}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {members.map(source => (
                <TableRow key={source.name}>
                  <TableCell component="th" scope="row" role="rowheader">
                    {source.name}
                    {source.status !== 'ok' && ` (${source.status})`}
                  </TableCell>
                  {members.map(target => {
                    if (target.name === source.name) {
                      return (
                        <TableCell
                          key={target.name}
                          className={`${classes.cell} ${classes.self}`}
                        >
                          <span aria-hidden="true">—</span>
                          <VisuallyHidden>same cluster</VisuallyHidden>
                        </TableCell>
                      );
                    }
                    const present = source.remoteSecrets.includes(target.name);
                    return (
                      <TableCell
                        key={target.name}
                        className={`${classes.cell} ${
                          present ? classes.present : classes.missing
                        }`}
                        data-state={present ? 'present' : 'missing'}
                      >
                        {present ? '✓ Yes' : '✗ Missing'}
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {missing.length > 0 && (
        <Typography className={classes.note} variant="body2">
          Missing: {missing.join(', ')}. Create each with{' '}
          <code>
            istioctl create-remote-secret --context=&lt;target&gt;
            --name=&lt;target&gt; | kubectl apply -f - --context=&lt;holder&gt;
          </code>
          .
        </Typography>
      )}
      {outside.length > 0 && (
        <Typography className={classes.note} variant="body2">
          Secrets for clusters outside the mesh: {outside.join(', ')}.
        </Typography>
      )}
    </SectionCard>
  );
}
