import type { FindingSeverity } from '@internal/plugin-service-mesh-common';
import { Tone, ToneChip } from './ToneChip';

const TONE: Record<FindingSeverity, Tone> = {
  error: 'error',
  warning: 'warning',
  info: 'info',
};

const LABEL: Record<FindingSeverity, string> = {
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

export function SeverityChip(props: { severity: FindingSeverity }) {
  return <ToneChip tone={TONE[props.severity]} label={LABEL[props.severity]} />;
}
