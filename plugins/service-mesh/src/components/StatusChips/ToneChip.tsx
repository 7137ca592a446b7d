import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';

/** Status tones; each pairs a background and a text colour with at least 4.5:1 contrast. */
export type Tone = 'ok' | 'warning' | 'error' | 'info' | 'neutral';

const useStyles = makeStyles({
  chip: { fontWeight: 500, margin: 0, maxWidth: '100%' },
  ok: { backgroundColor: '#2E7D32', color: '#FFFFFF' },
  warning: { backgroundColor: '#F9A825', color: '#000000' },
  error: { backgroundColor: '#C62828', color: '#FFFFFF' },
  info: { backgroundColor: '#1565C0', color: '#FFFFFF' },
  neutral: { backgroundColor: '#E0E0E0', color: '#212121' },
});

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
