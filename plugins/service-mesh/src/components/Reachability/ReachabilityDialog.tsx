import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  FINDING_CODES,
  type ClusterPairReachability,
  type Finding,
} from '@internal/plugin-service-mesh-common';
import { ASPECT_TITLES, ASPECTS, OUTCOME_TEXT } from './describe';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  list: { margin: 0, paddingLeft: theme.spacing(3) },
}));

const STATE_TEXT = { yes: 'yes', no: 'no', unknown: 'unknown' } as const;

export interface ReachabilityDialogProps {
  pair?: ClusterPairReachability;
  findings: Finding[];
  onClose: () => void;
}

/** Everything the model says about one client → destination pair: each aspect, its reasons and notes. */
export function ReachabilityDialog(props: ReachabilityDialogProps) {
  const classes = useStyles();
  const { pair } = props;
  const byId = new Map(props.findings.map(f => [f.id, f]));
  return (
    <Dialog
      open={pair !== undefined}
      onClose={props.onClose}
      aria-labelledby="reachability-dialog-title"
      maxWidth="md"
      fullWidth
    >
      {pair && (
        <>
          <DialogTitle id="reachability-dialog-title">
            {pair.from} → {pair.to}
          </DialogTitle>
          <DialogContent>
            <Typography>
              {OUTCOME_TEXT[pair.outcome]}
              {pair.controlPlane && pair.controlPlane !== pair.from
                ? ` ${pair.from}'s proxies are configured by ${pair.controlPlane}'s istiod.`
                : ''}
            </Typography>
            {ASPECTS.map(name => {
              const aspect = pair[name];
              const gateways =
                name === 'routable' ? pair.routable.gateways : [];
              return (
                <section key={name} className={classes.section}>
                  <Typography variant="subtitle2" component="h3">
                    {ASPECT_TITLES[name]}: {STATE_TEXT[aspect.state]}
                    {name === 'routable' ? ` (via ${pair.routable.via})` : ''}
                  </Typography>
                  {(aspect.reasons.length > 0 ||
                    aspect.notes.length > 0 ||
                    gateways.length > 0) && (
                    <ul className={classes.list}>
                      {aspect.reasons.map(r => {
                        const finding = byId.get(r.findingId);
                        return (
                          <li key={r.findingId}>
                            <Typography variant="body2">
                              <strong>
                                {r.code} {FINDING_CODES[r.code]?.title ?? ''}
                              </strong>
                              : {finding?.message ?? r.summary}
                            </Typography>
                          </li>
                        );
                      })}
                      {aspect.notes.map(note => (
                        <li key={note}>
                          <Typography variant="body2">{note}</Typography>
                        </li>
                      ))}
                      {gateways.map(g => (
                        <li key={`${g.address}:${g.port}`}>
                          <Typography variant="body2">
                            Gateway {g.address}:{g.port}
                            {g.cluster ? ` (${g.cluster})` : ''}
                            {g.source === 'meshNetworks'
                              ? ', from meshNetworks'
                              : ''}
                          </Typography>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              );
            })}
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onClose} color="primary">
              Close
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
