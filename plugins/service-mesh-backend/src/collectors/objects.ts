/*
 * Defensive readers for raw Kubernetes JSON. API servers, simulators and admission webhooks can all hand back
 * objects that do not match their schema; a collector skips such an object and records why, instead of failing
 * the whole cluster.
 */
import type { ClusterMeshData } from '@internal/plugin-service-mesh-common';
import { StringPool } from './intern';

export type MalformedObject = ClusterMeshData['malformedObjects'][number];

/** Thrown by the readers below; the object being mapped is skipped and recorded. */
export class MalformedError extends Error {}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: Array<{ kind: string; name: string; controller?: boolean }>;
}

/** Collects the malformed objects met while mapping one cluster (deduplicated: several mappers read one list). */
export class MappingContext {
  readonly #seen = new Set<string>();
  readonly malformedObjects: MalformedObject[] = [];
  /** Equal strings of this cluster's read (namespaces, node names…) as one instance. */
  readonly strings = new StringPool();

  malformed(kind: string, obj: unknown, reason: string): void {
    const meta = isRecord(obj) && isRecord(obj.metadata) ? obj.metadata : {};
    this.record({
      kind,
      ...(typeof meta.namespace === 'string'
        ? { namespace: meta.namespace }
        : {}),
      ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
      reason,
    });
  }

  /** Records an entry already reduced to kind, namespace, name and reason (e.g. one held back while streaming). */
  record(entry: MalformedObject): void {
    const key = `${entry.kind}/${entry.namespace ?? ''}/${entry.name ?? ''}/${
      entry.reason
    }`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.malformedObjects.push(entry);
  }
}

/**
 * Maps every item, skipping (and recording) the ones whose mapping throws. `fn` may return undefined to drop an
 * item that is well-formed but irrelevant.
 */
export function mapEach<T>(
  items: unknown[],
  kind: string,
  ctx: MappingContext,
  fn: (obj: Record<string, unknown>, meta: ObjectMeta) => T | undefined,
): T[] {
  const out: T[] = [];
  for (const item of items) {
    try {
      if (!isRecord(item)) throw new MalformedError('not an object');
      const value = fn(item, readMeta(item));
      if (value !== undefined) out.push(value);
    } catch (error) {
      ctx.malformed(
        kind,
        item,
        error instanceof Error ? error.message : String(error),
      );
    }
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readMeta(obj: Record<string, unknown>): ObjectMeta {
  const metadata = obj.metadata;
  if (!isRecord(metadata)) throw new MalformedError('metadata is missing');
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw new MalformedError('metadata.name is missing');
  }
  if (
    metadata.namespace !== undefined &&
    typeof metadata.namespace !== 'string'
  ) {
    throw new MalformedError('metadata.namespace is not a string');
  }
  return {
    name: metadata.name,
    namespace: metadata.namespace as string | undefined,
    labels: stringMap(metadata.labels, 'metadata.labels'),
    annotations: stringMap(metadata.annotations, 'metadata.annotations'),
    ownerReferences: Array.isArray(metadata.ownerReferences)
      ? metadata.ownerReferences.flatMap(ref =>
          isRecord(ref) &&
          typeof ref.kind === 'string' &&
          typeof ref.name === 'string'
            ? [
                {
                  kind: ref.kind,
                  name: ref.name,
                  controller: ref.controller === true,
                },
              ]
            : [],
        )
      : [],
  };
}

/**
 * A map of strings; absent is empty, anything but an object of strings is malformed. The object itself is
 * returned (checked, not copied): mapping a 100k-pod list must not allocate two extra objects per pod.
 */
export function stringMap(
  value: unknown,
  field: string,
): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new MalformedError(`${field} is not an object`);
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (typeof value[key] !== 'string')
      throw new MalformedError(`${field}.${key} is not a string`);
  }
  return value as Record<string, string>;
}

/** An optional nested object: absent is undefined, anything but an object is malformed. */
export function optionalRecord(
  value: unknown,
  field: string,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new MalformedError(`${field} is not an object`);
  return value;
}

/** An optional array: absent is empty, anything but an array is malformed. */
export function optionalArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new MalformedError(`${field} is not an array`);
  return value;
}

export function optionalString(
  value: unknown,
  field: string,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new MalformedError(`${field} is not a string`);
  return value;
}

/** An optional non-negative integer (replica counts); absent gives the fallback. */
export function optionalCount(
  value: unknown,
  field: string,
  fallback: number,
): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new MalformedError(`${field} is not a non-negative integer`);
  }
  return value;
}

/** The object without its undefined fields, so JSON stays compact and equality checks stay simple. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
