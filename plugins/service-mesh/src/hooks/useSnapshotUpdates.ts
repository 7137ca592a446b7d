import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  SNAPSHOT_SIGNAL_CHANNEL,
  type SnapshotSignal,
} from '@internal/plugin-service-mesh-common';

/** Where the app has no signals plugin, the page polls at this period instead. */
export const POLL_INTERVAL_MS = 30_000;
/** Before the first snapshot, the page polls this often whatever the signals. */
export const PENDING_POLL_INTERVAL_MS = 2_000;

/**
 * Calls `reload` when the backend announces a new snapshot on `service-mesh:snapshot` (Backstage signals), or
 * every {@link POLL_INTERVAL_MS} where signals are not installed; every {@link PENDING_POLL_INTERVAL_MS} while
 * the backend is still `pending`. A signal for the snapshot already shown is ignored.
 */
export function useSnapshotUpdates(options: {
  shownGeneratedAt?: string;
  pending: boolean;
  reload(): void;
}) {
  const { lastSignal, isSignalsAvailable } = useSignal<SnapshotSignal>(
    SNAPSHOT_SIGNAL_CHANNEL,
  );
  const reload = useRef(options.reload);
  reload.current = options.reload;
  const shown = useRef(options.shownGeneratedAt);
  shown.current = options.shownGeneratedAt;

  useEffect(() => {
    if (lastSignal?.generatedAt && lastSignal.generatedAt !== shown.current) {
      reload.current();
    }
  }, [lastSignal]);

  let period: number | undefined;
  if (options.pending) period = PENDING_POLL_INTERVAL_MS;
  else if (!isSignalsAvailable) period = POLL_INTERVAL_MS;
  useEffect(() => {
    if (!period) return undefined;
    const timer = setInterval(() => reload.current(), period);
    return () => clearInterval(timer);
  }, [period]);

  return { live: isSignalsAvailable };
}
