import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  FINDING_CODES,
  type Finding,
} from '@internal/plugin-service-mesh-common';
import { SeverityChip } from '../StatusChips';

const useStyles = makeStyles(theme => ({
  meta: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  },
  hint: {
    fontFamily: 'monospace',
    fontSize: '0.85rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    backgroundColor: theme.palette.type === 'dark' ? '#263238' : '#F5F5F5',
    color: theme.palette.type === 'dark' ? '#FFFFFF' : '#212121',
    padding: theme.spacing(1.5),
    borderRadius: theme.shape.borderRadius,
    margin: 0,
  },
  section: { marginTop: theme.spacing(2) },
}));

export interface FindingDialogProps {
  /** The id from the URL; the dialog is closed when undefined. */
  findingId?: string;
  /** The finding with that id, when it is still reported. */
  finding?: Finding;
  onClose(): void;
}

/** One finding in full: what it means, where, and how to fix it. Opened from `?finding=<id>`. */
export function FindingDialog(props: FindingDialogProps) {
  const classes = useStyles();
  const { finding, findingId } = props;
  const titleId = 'service-mesh-finding-dialog-title';
  return (
    <Dialog
      open={findingId !== undefined}
      onClose={props.onClose}
      aria-labelledby={titleId}
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id={titleId}>
        {finding ? `${finding.code}: ${finding.title}` : 'Finding not found'}
      </DialogTitle>
      <DialogContent>
        {finding ? (
          <>
            <div className={classes.meta}>
              <SeverityChip severity={finding.severity} />
              <Typography variant="body2">
                Clusters: {finding.clusters.join(', ') || 'mesh-wide'}
              </Typography>
            </div>
            <Typography>{finding.message}</Typography>
            {finding.resource && (
              <Typography variant="body2" className={classes.section}>
                Resource: {finding.resource.kind}{' '}
                {finding.resource.namespace
                  ? `${finding.resource.namespace}/`
                  : ''}
                {finding.resource.name}
              </Typography>
            )}
            <Typography
              variant="subtitle2"
              component="h3"
              className={classes.section}
            >
              What it means
            </Typography>
            <Typography variant="body2">
              {FINDING_CODES[finding.code]?.description ?? finding.title}
            </Typography>
            <Typography
              variant="subtitle2"
              component="h3"
              className={classes.section}
            >
              How to fix
            </Typography>
            <pre className={classes.hint}>{finding.hint}</pre>
          </>
        ) : (
          <Typography>
            No current finding has the id <code>{findingId}</code>. It may have
            been fixed since the link was shared.
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} color="primary" variant="contained">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
