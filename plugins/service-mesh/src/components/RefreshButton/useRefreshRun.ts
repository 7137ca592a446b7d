import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { RefreshProgress } from '@internal/plugin-service-mesh-common';
import { serviceMeshApiRef } from '../../api';

/** How often the progress is read while a refresh runs. */
export const PROGRESS_POLL_MS = 1000;
/** A refresh not seen to finish by then is given up on (the scheduler's task timeout is bounded too). */
const GIVE_UP_MS = 5 * 60_000;

/**
 * Starts a refresh (`POST /refresh`, answered 202) and follows `GET /refresh` until the run it started has
 * finished: the run seen running ends, or, when the answer came before the run began (another replica claims
 * the task), a run newer than the last one known ends.
 */
export function useRefreshRun(onFinished: (progress: RefreshProgress) => void) {
  const api = useApi(serviceMeshApiRef);
  const [progress, setProgress] = useState<RefreshProgress>();
  const [busy, setBusy] = useState(false);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const cancelled = useRef(false);
  useEffect(
    () => () => {
      cancelled.current = true;
    },
    [],
  );

  const start = useCallback(async () => {
    setBusy(true);
    try {
      const accepted = await api.refresh();
      setProgress(accepted);
      const tracked =
        accepted.state === 'running' ? accepted.startedAt : undefined;
      const known = accepted.state === 'idle' ? accepted.startedAt : undefined;
      const deadline = Date.now() + GIVE_UP_MS;
      for (;;) {
        await new Promise(resolve => setTimeout(resolve, PROGRESS_POLL_MS));
        if (cancelled.current) return;
        const now = await api.getRefreshProgress();
        setProgress(now);
        const done =
          now.state === 'idle' &&
          now.startedAt !== undefined &&
          (tracked ? now.startedAt >= tracked : now.startedAt !== known);
        if (done) {
          finished.current(now);
          return;
        }
        if (Date.now() > deadline) {
          throw new Error('the refresh did not finish within 5 minutes');
        }
      }
    } finally {
      if (!cancelled.current) setBusy(false);
    }
  }, [api]);

  return { start, busy, progress };
}
