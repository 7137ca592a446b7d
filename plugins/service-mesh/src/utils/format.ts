/** `2025-11-21 10:00 UTC`: stable across browsers and time zones, so users comparing screenshots agree. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return 'never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `us-east-1/us-east-1a` (subzone appended when present); `(no locality)` when nothing is labelled. */
export { formatLocality } from '@internal/plugin-service-mesh-common';

/** `70%`, `12.5%`, `<1%` for tiny non-zero shares. */
export function formatPercent(value: number): string {
  if (value > 0 && value < 1) return '<1%';
  const rounded = Math.round(value * 10) / 10;
  return `${rounded}%`;
}

/** Days from `now` until `iso` (negative when past). */
export function daysUntil(iso: string, now: Date = new Date()): number {
  return Math.floor((new Date(iso).getTime() - now.getTime()) / 86_400_000);
}
