/*
 * Quantiles from cumulative histogram buckets, as Prometheus' histogram_quantile computes them (linear
 * interpolation inside the bucket; the +Inf bucket answers with the highest finite bound). Done here rather than
 * in PromQL because local and cross-cluster calls are told apart by comparing two labels, which PromQL cannot.
 */

export interface HistogramBucket {
  /** Upper bound; `+Inf` (or Infinity) for the last bucket. */
  le: string | number;
  /** Cumulative count of observations ≤ le. */
  count: number;
}

function bound(le: string | number): number {
  if (typeof le === 'number') return le;
  const trimmed = le.trim();
  if (trimmed === '+Inf' || trimmed === 'Inf' || trimmed === 'inf')
    return Number.POSITIVE_INFINITY;
  const n = Number(trimmed);
  return trimmed !== '' && !Number.isNaN(n) ? n : Number.NaN;
}

/** Buckets with the same bound added up (several series summed), sorted by bound, counts made monotonic. */
export function mergeBuckets(
  lists: Array<ReadonlyArray<HistogramBucket>>,
): Array<{ le: number; count: number }> {
  const sums = new Map<number, number>();
  for (const list of lists) {
    for (const b of list) {
      const le = bound(b.le);
      if (Number.isNaN(le) || !Number.isFinite(b.count) || b.count < 0)
        continue;
      sums.set(le, (sums.get(le) ?? 0) + b.count);
    }
  }
  const sorted = [...sums.entries()]
    .map(([le, count]) => ({ le, count }))
    .sort((a, b) => a.le - b.le);
  // Counters of different buckets are scraped at slightly different times; Prometheus fixes the same way.
  let max = 0;
  for (const b of sorted) {
    max = Math.max(max, b.count);
    b.count = max;
  }
  return sorted;
}

/**
 * The q-quantile (0–1) of the observations in `buckets`; undefined without observations or without a +Inf
 * bucket (the histogram is incomplete).
 */
export function histogramQuantile(
  q: number,
  buckets: ReadonlyArray<HistogramBucket>,
): number | undefined {
  if (!(q >= 0 && q <= 1)) return undefined;
  const sorted = mergeBuckets([buckets]);
  if (sorted.length < 2) return undefined;
  const last = sorted[sorted.length - 1];
  if (last.le !== Number.POSITIVE_INFINITY) return undefined;
  const total = last.count;
  if (total <= 0) return undefined;

  const rank = q * total;
  let i = sorted.findIndex(b => b.count >= rank);
  if (i < 0) i = sorted.length - 1;
  if (i === sorted.length - 1) return sorted[sorted.length - 2].le;
  const end = sorted[i].le;
  if (i === 0 && end <= 0) return end;
  const start = i === 0 ? 0 : sorted[i - 1].le;
  const below = i === 0 ? 0 : sorted[i - 1].count;
  const inBucket = sorted[i].count - below;
  if (inBucket <= 0) return end;
  return start + ((end - start) * (rank - below)) / inBucket;
}
