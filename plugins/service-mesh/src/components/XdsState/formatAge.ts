/** `12m`, `3h`, `2d` between two ISO times (istiod's own), or undefined when either is missing. */
export function formatAge(since?: string, now?: string): string | undefined {
  if (!since || !now) return undefined;
  const ms = Date.parse(now) - Date.parse(since);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
