import { formatTime } from '../../utils/format';
import { ToneChip } from './ToneChip';

/** Marks data kept from the last successful read of a cluster. */
export function StaleBadge(props: { lastSyncedAt?: string }) {
  const when = formatTime(props.lastSyncedAt);
  return (
    <ToneChip
      tone="warning"
      label={`Stale · last success ${when}`}
      title={`Stale data: the last successful read was at ${when}`}
    />
  );
}
