import { useEffect, useState } from 'react';
import { formatTime } from '../../utils/format';

/** "12 s ago", "3 min ago", "2 h ago", "4 d ago" (a future time, from clock skew, reads "just now"). */
export function formatAge(then: Date, now: Date): string {
  const seconds = Math.max(
    0,
    Math.round((now.getTime() - then.getTime()) / 1000),
  );
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The time's age, kept current (every second for the first minute, then every 15 s), the exact time on hover. */
export function RelativeTime(props: { value?: string; prefix?: string }) {
  const [now, setNow] = useState(() => new Date());
  const then = props.value ? new Date(props.value) : undefined;
  const young = then ? now.getTime() - then.getTime() < 60_000 : false;
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), young ? 1000 : 15_000);
    return () => clearInterval(timer);
  }, [young]);
  if (!props.value || !then || Number.isNaN(then.getTime())) return null;
  return (
    <time dateTime={props.value} title={formatTime(props.value)}>
      {props.prefix ?? ''}
      {formatAge(then, now)}
    </time>
  );
}
