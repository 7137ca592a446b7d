import type { ClusterStatus } from '@internal/plugin-service-mesh-common';
import { Tone, ToneChip } from './ToneChip';

const STATUS: Record<ClusterStatus, { tone: Tone; label: string }> = {
  ok: { tone: 'ok', label: 'OK' },
  stale: { tone: 'warning', label: 'Stale' },
  unreachable: { tone: 'error', label: 'Unreachable' },
  unauthorized: { tone: 'error', label: 'Unauthorized' },
  error: { tone: 'error', label: 'Error' },
  pending: { tone: 'neutral', label: 'Not read yet' },
};

export function ClusterStatusChip(props: { status: ClusterStatus }) {
  const { tone, label } = STATUS[props.status] ?? STATUS.error;
  return <ToneChip tone={tone} label={label} />;
}
