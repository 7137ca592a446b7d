import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { readableOn, statusFill } from '../../utils/tones';

/** Status tones from the theme's `palette.status`; text is black or white, whichever contrasts more. */
export type Tone = 'ok' | 'warning' | 'error' | 'info' | 'neutral';

const useStyles = makeStyles(theme => ({
  chip: { fontWeight: 500, margin: 0, maxWidth: '100%' },
  ok: statusFill(theme, 'ok'),
  warning: statusFill(theme, 'warning'),
  error: statusFill(theme, 'error'),
  info: statusFill(theme, 'running'),
  neutral: {
    backgroundColor: theme.palette.border,
    color: readableOn(theme, theme.palette.border),
  },
}));

export interface ToneChipProps {
  tone: Tone;
  label: string;
  /** Longer explanation, shown as the native tooltip. */
  title?: string;
}

/** A small coloured chip with readable text in light and dark themes. */
export function ToneChip(props: ToneChipProps) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.label}
      title={props.title}
      className={`${classes.chip} ${classes[props.tone]}`}
    />
  );
}
