/*
 * Defensive readers for data that crossed a process boundary (snapshot JSON, cached values, custom resource
 * specs). The analysis must never throw, so everything is read through these instead of trusting the types.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, or undefined. Numbers are accepted (YAML often turns `1.22` into a number). */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A finite number (numeric strings accepted, `{value: n}` wrappers of protobuf JSON too), or undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (isRecord(value) && 'value' in value) return asNumber(value.value);
  return undefined;
}

/** A non-negative integer count (0 when absent or invalid). */
export function asCount(value: unknown): number {
  const n = asNumber(value);
  return n === undefined || n < 0 ? 0 : Math.floor(n);
}

/** A boolean; `"true"`/`"false"` strings and protobuf `{value: b}` wrappers accepted. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (isRecord(value) && 'value' in value) return asBoolean(value.value);
  return undefined;
}

/** A string→string map (labels, selectors); non-string values are dropped. */
export function asStringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean')
      out[k] = String(v);
  }
  return out;
}

export function asStringArray(value: unknown): string[] {
  return asArray(value)
    .map(asString)
    .filter((s): s is string => s !== undefined);
}

/** Sorted, de-duplicated copy. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Locale-independent string order, so results are identical in Node and every browser. */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * JSON with object keys sorted, for comparing specs across clusters regardless of key order. Depth-limited and
 * cycle-safe, so a hostile value cannot overflow the stack.
 */
export function stableStringify(
  value: unknown,
  depth = 0,
  seen = new Set<unknown>(),
): string {
  if (depth > 64) return '"<too deep>"';
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    if (
      value === undefined ||
      typeof value === 'function' ||
      typeof value === 'symbol'
    ) {
      return 'null';
    }
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value);
  }
  if (seen.has(value)) return '"<cycle>"';
  seen.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map(v => stableStringify(v, depth + 1, seen)).join(',')}]`;
  } else {
    const entries = Object.keys(value)
      .filter(k => (value as Record<string, unknown>)[k] !== undefined)
      .sort(compareStrings)
      .map(
        k =>
          `${JSON.stringify(k)}:${stableStringify(
            (value as Record<string, unknown>)[k],
            depth + 1,
            seen,
          )}`,
      );
    out = `{${entries.join(',')}}`;
  }
  seen.delete(value);
  return out;
}
