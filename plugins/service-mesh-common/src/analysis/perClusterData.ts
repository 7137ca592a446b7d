/*
 * Indexes computed once per cluster data object. A snapshot's data never changes (a refresh brings new objects),
 * so an index built on first use serves every request and check on that snapshot, and goes with it.
 */
import type { ClusterMeshData } from '../types/snapshot';
import { isRecord } from '../util/guards';

/** `build(data)` memoized by the identity of `data` (anything that is not an object gets a fresh build). */
export function perClusterData<T>(
  build: (data: Partial<ClusterMeshData>) => T,
): (data: ClusterMeshData) => T {
  const memo = new WeakMap<object, T>();
  return data => {
    if (!isRecord(data)) return build({});
    let value = memo.get(data);
    if (value === undefined) {
      value = build(data as Partial<ClusterMeshData>);
      memo.set(data, value);
    }
    return value;
  };
}
