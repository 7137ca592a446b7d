import { useState } from 'react';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import { makeStyles } from '@material-ui/core/styles';
import { toYaml } from '../../utils/toYaml';

const useStyles = makeStyles(theme => ({
  code: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    backgroundColor: theme.palette.type === 'dark' ? '#263238' : '#F5F5F5',
    color: theme.palette.type === 'dark' ? '#FFFFFF' : '#212121',
    padding: theme.spacing(1.5),
    borderRadius: theme.shape.borderRadius,
    margin: theme.spacing(1, 0, 0),
  },
}));

/** A policy's spec as YAML or JSON. */
export function PolicySpec(props: {
  spec: Record<string, unknown>;
  label: string;
}) {
  const classes = useStyles();
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const text =
    format === 'yaml'
      ? toYaml(props.spec)
      : JSON.stringify(props.spec, null, 2);
  return (
    <section aria-label={`spec of ${props.label}`}>
      <ButtonGroup size="small" aria-label={`Format of ${props.label}`}>
        <Button
          aria-pressed={format === 'yaml'}
          variant={format === 'yaml' ? 'contained' : 'outlined'}
          color="primary"
          onClick={() => setFormat('yaml')}
        >
          YAML
        </Button>
        <Button
          aria-pressed={format === 'json'}
          variant={format === 'json' ? 'contained' : 'outlined'}
          color="primary"
          onClick={() => setFormat('json')}
        >
          JSON
        </Button>
      </ButtonGroup>
      <pre className={classes.code}>{text}</pre>
    </section>
  );
}
