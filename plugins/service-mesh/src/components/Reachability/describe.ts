/*
 * Words for the reachability model's cells (pure, shared by the matrix, its dialog and the topology picture):
 * a cell shows what fails, with the finding code that explains it.
 */
import type {
  ClusterPairReachability,
  ReachabilityAspect,
  ReachabilityMatrix,
} from '@internal/plugin-service-mesh-common';

export type AspectName = 'discovered' | 'routable' | 'trusted';
export const ASPECTS: AspectName[] = ['discovered', 'routable', 'trusted'];

export const ASPECT_TITLES: Record<AspectName, string> = {
  discovered: 'Discovered',
  routable: 'Routable',
  trusted: 'Trusted',
};

/** "not discovered (MESH010)", "no gateway address (MESH032)", "not trusted (MESH020)". */
export function aspectProblem(
  name: AspectName,
  aspect: ReachabilityAspect,
): string | undefined {
  if (aspect.state === 'yes') return undefined;
  const codes = aspect.reasons.map(r => r.code).join(', ');
  if (aspect.state === 'unknown') {
    const what = {
      discovered: 'discovery',
      routable: 'route',
      trusted: 'trust',
    };
    return `${what[name]} unknown`;
  }
  if (name === 'routable') {
    // The route's reason says what is missing on the way (no gateway address, gateway not ready, …).
    const summaries = [...new Set(aspect.reasons.map(r => r.summary))];
    return `${summaries.join(', ') || 'no route'}${codes ? ` (${codes})` : ''}`;
  }
  const word = name === 'discovered' ? 'not discovered' : 'not trusted';
  return `${word}${codes ? ` (${codes})` : ''}`;
}

/** The lines of one cell: each aspect that is not "yes", or how the pair connects. */
export function cellLines(pair: ClusterPairReachability): string[] {
  if (pair.from === pair.to) return ['same cluster'];
  const problems = ASPECTS.flatMap(a => aspectProblem(a, pair[a]) ?? []);
  if (problems.length > 0) return problems;
  const via = {
    local: 'same cluster',
    direct: 'direct (same network)',
    gateway: 'through the east-west gateway',
    'pod-ip': 'pod IPs',
  }[pair.routable.via];
  return [`reachable, ${via}`];
}

/** What a request does, for the dialog and screen readers. */
export const OUTCOME_TEXT: Record<ClusterPairReachability['outcome'], string> =
  {
    reachable: 'Requests reach it.',
    fails:
      "Its endpoints are in the client's load-balancing set, but connections fail.",
    excluded:
      "The client's istiod does not send its endpoints: it gets no requests.",
  };

/** A cell's whole state in one sentence (the button's accessible name and the tooltip's first line). */
export function cellLabel(pair: ClusterPairReachability): string {
  return `${pair.from} to ${pair.to}: ${cellLines(pair).join('; ')}`;
}

/** The matrix's pairs by `from → to`. */
export function pairIndex(
  matrix: ReachabilityMatrix,
): Map<string, ClusterPairReachability> {
  return new Map(matrix.pairs.map(p => [`${p.from}\u0000${p.to}`, p]));
}

export function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
