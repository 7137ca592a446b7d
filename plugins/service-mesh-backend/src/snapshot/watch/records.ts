/*
 * What a watched resource keeps per object, keyed by namespace/name, so that a changed or deleted object replaces
 * or removes exactly its own entry: the object as the API server sent it (the collectors' mappers read it as they
 * read a list item) minus the two fields no mapper reads and that can be large.
 */
import { isRecord } from '../../collectors/objects';

/** The key of an object in its resource: `namespace/name` (`name` for cluster-scoped ones). */
export function objectKey(obj: unknown): string | undefined {
  if (!isRecord(obj) || !isRecord(obj.metadata)) return undefined;
  const { name, namespace } = obj.metadata;
  if (typeof name !== 'string' || name === '') return undefined;
  return typeof namespace === 'string' && namespace
    ? `${namespace}/${name}`
    : name;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The raw object without managedFields and kubectl's last-applied copy of itself. */
export function recordOf(obj: unknown): unknown {
  if (!isRecord(obj) || !isRecord(obj.metadata)) return obj;
  const meta = obj.metadata;
  const annotations = meta.annotations;
  const hasLastApplied =
    isRecord(annotations) && typeof annotations[LAST_APPLIED] === 'string';
  if (meta.managedFields === undefined && !hasLastApplied) return obj;
  const { managedFields: _m, ...rest } = meta;
  if (hasLastApplied) {
    const { [LAST_APPLIED]: _l, ...kept } = annotations as Record<
      string,
      unknown
    >;
    rest.annotations = kept;
  }
  return { ...obj, metadata: rest };
}
