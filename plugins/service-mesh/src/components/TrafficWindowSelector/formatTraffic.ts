/** `86.1/s`, `0.25/s`, `<0.01/s`, `0/s`. */
export function formatRate(requestsPerSecond: number): string {
  if (!(requestsPerSecond > 0)) return '0/s';
  if (requestsPerSecond < 0.01) return '<0.01/s';
  if (requestsPerSecond < 10)
    return `${Math.round(requestsPerSecond * 100) / 100}/s`;
  return `${Math.round(requestsPerSecond * 10) / 10}/s`;
}

/** A 0–1 ratio as `0.2%`, `12%`, `<0.1%` for tiny non-zero ratios, `0%`. */
export function formatErrorRatio(ratio: number): string {
  if (!(ratio > 0)) return '0%';
  const percent = ratio * 100;
  if (percent < 0.1) return '<0.1%';
  if (percent < 10) return `${Math.round(percent * 10) / 10}%`;
  return `${Math.round(percent)}%`;
}

/** `12 ms`, `1.2 s`; `–` when unknown. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms)} ms`;
}
