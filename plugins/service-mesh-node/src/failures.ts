/*
 * The one classification of cluster failures, shared by the collectors (per resource), the snapshot (per
 * cluster) and the onboarding action: what kind of failure it is and which finding code explains it.
 */
import type {
  ClusterStatus,
  CollectionError,
} from '@internal/plugin-service-mesh-common';
import { isClusterAccessError, isKubeApiError } from './errors';

/** @public */
export type ClusterFailureKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'error';

/** @public */
export interface ClusterFailure {
  kind: ClusterFailureKind;
  /** MESH090 unreachable or unexpected, MESH091 401, MESH092 403, MESH094–097 cluster access. */
  error: CollectionError;
}

/**
 * 401 → unauthorized (MESH091); no answer (refused, DNS, TLS, timeout, abort) → unreachable (MESH090); 403 →
 * forbidden (MESH092); a ClusterAccessError → error with its own code and fix (MESH094–097); anything else →
 * error (MESH090).
 *
 * @public
 */
export function classifyClusterFailure(error: unknown): ClusterFailure {
  if (isClusterAccessError(error)) {
    const { code, message, hint } = error.problem;
    return { kind: 'error', error: { code, message, hint } };
  }
  if (isKubeApiError(error)) {
    const { message } = error;
    if (error.statusCode === 401)
      return { kind: 'unauthorized', error: { code: 'MESH091', message } };
    if (error.statusCode === 403)
      return { kind: 'forbidden', error: { code: 'MESH092', message } };
    if (error.isNetworkError)
      return { kind: 'unreachable', error: { code: 'MESH090', message } };
  }
  return {
    kind: 'error',
    error: {
      code: 'MESH090',
      message: error instanceof Error ? error.message : String(error),
    },
  };
}

/** The cluster status a failure of the whole cluster read leaves behind (a 403 on everything is an error). @public */
export function clusterStatusOf(
  kind: ClusterFailureKind,
): Exclude<ClusterStatus, 'ok' | 'stale' | 'pending'> {
  return kind === 'forbidden' ? 'error' : kind;
}
