import { useState } from 'react';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import { CodeSnippet } from '@backstage/core-components';
import { toYaml } from '../../utils/toYaml';

/** A policy's spec as YAML or JSON. */
export function PolicySpec(props: {
  spec: Record<string, unknown>;
  label: string;
}) {
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
      <CodeSnippet
        text={text}
        language={format}
        wrapLongLines
        showCopyCodeButton
      />
    </section>
  );
}
