// List paging as the API server does it: keys in order, and continue tokens of the same shape as its own.
import { errors } from './status.ts';

/** The first index of sorted `keys` whose key is not below `value`. */
export function lowerBound(keys: string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Same shape as the API server's continue token: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"key"}.
export function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` }),
  ).toString('base64');
}

export function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.start !== 'string')
      throw new Error('bad');
    return parsed.start.endsWith('\u0000')
      ? parsed.start.slice(0, -1)
      : parsed.start;
  } catch {
    throw errors.badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}
