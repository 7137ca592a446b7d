import { useMemo, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { problemText } from '../../utils/tones';
import {
  simulateLocality,
  type EntityServiceSimulation,
  type SimulationMode,
  type SimulationResult,
} from '@internal/plugin-service-mesh-common';
import { ToneChip } from '../StatusChips';
import { failureOptions, splitColumns } from './splitMatrix';
import { SplitMatrix } from './SplitMatrix';

const useStyles = makeStyles(theme => ({
  root: { marginBottom: theme.spacing(3) },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
  },
  control: { minWidth: 260, marginTop: theme.spacing(1) },
  notes: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(3) },
  error: problemText(theme),
}));

const MODE_LABEL: Record<SimulationMode, string> = {
  distribute: 'Weighted distribution',
  failover: 'Locality failover',
  failoverPriority: 'Failover priority',
  none: 'No locality preference',
};

function Notes(props: { notes: string[] }) {
  const classes = useStyles();
  if (props.notes.length === 0) return null;
  return (
    <ul className={classes.notes}>
      {props.notes.map(note => (
        <li key={note}>
          <Typography variant="body2">{note}</Typography>
        </li>
      ))}
    </ul>
  );
}

/** One service's expected split per client locality, and the split if a region or zone fails. */
export function ServiceSplit(props: { simulation: EntityServiceSimulation }) {
  const classes = useStyles();
  const { simulation } = props;
  const options = useMemo(
    () => failureOptions(simulation.input),
    [simulation.input],
  );
  const [selected, setSelected] = useState('');
  const option = options.find(o => o.value === selected);

  const whatIf = useMemo((): { result?: SimulationResult; error?: string } => {
    if (!option) return {};
    try {
      return {
        result: simulateLocality({
          ...simulation.input,
          failed: [...(simulation.input.failed ?? []), option.failure],
        }),
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }, [option, simulation.input]);

  const columns = splitColumns(
    whatIf.result ? [simulation.result, whatIf.result] : [simulation.result],
  );
  const selectId = `what-if-${simulation.service.replace(
    /[^A-Za-z0-9-]/g,
    '-',
  )}`;

  return (
    <section
      className={classes.root}
      aria-label={`Traffic split of ${simulation.service}`}
    >
      <div className={classes.header}>
        <Typography variant="h6" component="h3">
          {simulation.service}
        </Typography>
        <ToneChip tone="info" label={MODE_LABEL[simulation.result.mode]} />
        {simulation.input.policy?.source && (
          <Typography variant="body2">
            From DestinationRule {simulation.input.policy.source.namespace}/
            {simulation.input.policy.source.name}
          </Typography>
        )}
      </div>
      <Notes notes={simulation.result.notes} />
      <SplitMatrix
        caption="Expected split now (percent of each client's requests)"
        result={simulation.result}
        columns={columns}
      />
      <TextField
        id={selectId}
        select
        label="What if this fails"
        value={selected}
        onChange={event => setSelected(event.target.value)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
        className={classes.control}
        helperText="Recomputed in your browser with the same simulator as the backend"
        FormHelperTextProps={{ style: { color: 'inherit' } }}
      >
        <option value="">Nothing fails</option>
        {options.map(o => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </TextField>
      {whatIf.error && (
        <Typography className={classes.error} role="alert">
          Could not simulate: {whatIf.error}
        </Typography>
      )}
      {whatIf.result && option && (
        <div aria-live="polite">
          <Notes notes={whatIf.result.notes} />
          <SplitMatrix
            caption={`If ${option.label.toLowerCase()} fails (changes from now highlighted)`}
            result={whatIf.result}
            columns={columns}
            baseline={simulation.result}
          />
        </div>
      )}
    </section>
  );
}
