// How a cluster store keeps one object: its JSON text (without apiVersion and kind, which depend on the version
// served) plus the few parsed fields that selectors need, so a list is a string concatenation and large scenarios
// stay small in memory.
import type { JsonObject } from './json.ts';
import {
  asObject,
  getPath,
  isObject,
  scalarString,
  stringMap,
} from './json.ts';
import type { ResourceType } from './resources.ts';
import { apiVersionOf } from './resources.ts';
import type { FieldRequirement, LabelSelector } from './selectors.ts';
import { fieldsMatch } from './selectors.ts';

export interface StoredObject {
  key: string;
  namespace: string;
  name: string;
  uid: string;
  rv: number;
  labels: Record<string, string>;
  /** Values of the field selector labels the type supports. */
  fields: Record<string, string>;
  /** The object as JSON, without apiVersion and kind. */
  body: string;
}

export interface Filter {
  namespace?: string;
  labels?: LabelSelector;
  fields?: FieldRequirement[];
}

/** The object as the API server returns it at `version`. */
export function serializeObject(
  type: ResourceType,
  version: string,
  so: StoredObject,
): string {
  const head = `{"apiVersion":${JSON.stringify(
    apiVersionOf(type.group, version),
  )},"kind":${JSON.stringify(type.kind)}`;
  return so.body === '{}' ? `${head}}` : `${head},${so.body.slice(1)}`;
}

/** The object as stored at resource version `rv` (which it writes into metadata.resourceVersion). */
export function encodeObject(
  type: ResourceType,
  obj: JsonObject,
  rv: number,
): StoredObject {
  const meta = asObject(obj.metadata);
  meta.resourceVersion = String(rv);
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const name = String(meta.name);
  const namespace = type.namespaced ? String(meta.namespace ?? '') : '';
  const fields: Record<string, string> = {
    'metadata.name': name,
    'metadata.namespace': namespace,
  };
  for (const f of type.selectableFields ?? []) {
    const v = getPath(obj, f);
    fields[f] = scalarString(v);
  }
  return {
    key: namespace ? `${namespace}/${name}` : name,
    namespace,
    name,
    uid: String(meta.uid ?? ''),
    rv,
    labels: stringMap(meta.labels),
    fields,
    body: JSON.stringify(rest),
  };
}

export function matchesFilter(so: StoredObject, filter: Filter): boolean {
  if (filter.namespace && so.namespace !== filter.namespace) return false;
  if (filter.labels && !filter.labels(so.labels)) return false;
  if (
    filter.fields &&
    filter.fields.length &&
    !fieldsMatch(filter.fields, so.fields)
  )
    return false;
  return true;
}

/** Secrets: `stringData` is write-only; the API server stores it base64-encoded in `data`. */
export function foldStringData(obj: JsonObject): JsonObject {
  if (!isObject(obj.stringData)) return obj;
  const { stringData, ...rest } = obj;
  const data: JsonObject = { ...asObject(rest.data) };
  for (const [k, v] of Object.entries(stringData)) {
    if (typeof v === 'string')
      data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  return { ...rest, data };
}

export function withoutMetaStatus(obj: JsonObject): JsonObject {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}
