// The three patch types of the Kubernetes API: JSON merge patch (RFC 7386), strategic merge patch (maps merge,
// lists of known kinds merge by key, `$patch`/`$retainKeys`/`$deleteFromPrimitiveList` directives) and
// JSON patch (RFC 6902). They work on plain JSON; the caller turns failures into Status errors.
import type { JsonObject } from './json.ts';
import { clone, deepEqual, isObject } from './json.ts';

export class PatchError extends Error {
  /** 400 for an undecodable patch, 422 for a patch that does not apply. */
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

// Merge keys of the list fields that Kubernetes types mark `patchStrategy: merge`.
const MERGE_KEYS: Record<string, string | string[]> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  env: 'name',
  imagePullSecrets: 'name',
  ownerReferences: 'uid',
  conditions: 'type',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  // container ports merge by containerPort, Service ports by port
  ports: ['containerPort', 'port'],
};
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  const key = MERGE_KEYS[field];
  if (!key) return undefined;
  if (typeof key === 'string') return key;
  return (
    key.find(k => items.some(i => isObject(i) && k in i)) ?? key[key.length - 1]
  );
}

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  const body = Object.fromEntries(
    Object.entries(patch).filter(
      ([k]) =>
        k !== '$patch' &&
        k !== '$retainKeys' &&
        !k.startsWith('$setElementOrder/'),
    ),
  );
  if (directive === 'replace') return stripDirectives(body);
  let result: JsonObject = isObject(target) ? { ...target } : {};
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys);
    result = Object.fromEntries(
      Object.entries(result).filter(([k]) => keep.has(k)),
    );
  }
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = Array.isArray(value) ? value : [];
      if (Array.isArray(result[field])) {
        result[field] = (result[field] as unknown[]).filter(
          v => !remove.some(r => deepEqual(r, v)),
        );
      }
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(key, result[key], value);
    } else if (isObject(value)) {
      const merged = strategicMergePatch(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  return result;
}

function mergeList(
  field: string,
  current: unknown,
  patch: unknown[],
): unknown[] {
  if (patch.some(i => isObject(i) && i.$patch === 'replace')) {
    return patch
      .filter(i => !(isObject(i) && i.$patch === 'replace'))
      .map(stripDirectives);
  }
  const existing = Array.isArray(current) ? current : [];
  if (MERGED_PRIMITIVE_LISTS.has(field)) {
    return [
      ...existing,
      ...patch.filter(p => !existing.some(e => deepEqual(e, p))),
    ];
  }
  const key = mergeKeyFor(field, [...existing, ...patch]);
  if (!key) return patch.map(stripDirectives);
  const result = [...existing];
  for (const item of patch) {
    if (!isObject(item) || !(key in item)) {
      result.push(stripDirectives(item));
      continue;
    }
    const index = result.findIndex(
      e => isObject(e) && deepEqual(e[key], item[key]),
    );
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMergePatch(result[index], item);
    } else {
      result.push(stripDirectives(item));
    }
  }
  return result;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, v]) => [k, stripDirectives(v)]),
  );
}

function parsePointer(pointer: unknown): string[] {
  if (
    typeof pointer !== 'string' ||
    (pointer !== '' && !pointer.startsWith('/'))
  ) {
    throw new PatchError(
      400,
      `invalid JSON pointer: ${JSON.stringify(pointer)}`,
    );
  }
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(
  container: unknown[],
  token: string,
  forAdd: boolean,
  path: string,
): number {
  if (forAdd && token === '-') return container.length;
  if (!/^(0|[1-9]\d*)$/.test(token))
    throw new PatchError(422, `invalid array index "${token}" in ${path}`);
  const index = Number(token);
  if (index > container.length || (!forAdd && index === container.length)) {
    throw new PatchError(422, `index ${index} out of bounds in ${path}`);
  }
  return index;
}

/** Walks to the parent of `path`; the parent must exist. */
function parentOf(doc: unknown, tokens: string[], path: string): unknown {
  let current = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current))
      current = current[arrayIndex(current, token, false, path)];
    else if (isObject(current) && token in current) current = current[token];
    else
      throw new PatchError(
        422,
        `doc is missing path: "${path}": missing value`,
      );
  }
  return current;
}

function getAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent))
    return parent[arrayIndex(parent, last, false, path)];
  if (isObject(parent) && last in parent) return parent[last];
  throw new PatchError(422, `doc is missing path: "${path}": missing value`);
}

function removeAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0)
    throw new PatchError(422, 'cannot remove the document root');
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent))
    return parent.splice(arrayIndex(parent, last, false, path), 1)[0];
  if (isObject(parent) && last in parent) {
    const value = parent[last];
    delete parent[last];
    return value;
  }
  throw new PatchError(
    422,
    `unable to remove nonexistent key: ${last}: missing value`,
  );
}

function addAt(
  doc: unknown,
  path: string,
  value: unknown,
  replace: boolean,
): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, last, !replace, path);
    parent.splice(index, replace ? 1 : 0, value);
  } else if (isObject(parent)) {
    if (replace && !(last in parent)) {
      throw new PatchError(
        422,
        `replace operation does not apply: doc is missing key: ${path}: missing value`,
      );
    }
    parent[last] = value;
  } else {
    throw new PatchError(422, `doc is missing path: "${path}": missing value`);
  }
  return doc;
}

export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw new PatchError(
      400,
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  let doc = clone(target);
  for (const op of operations) {
    if (!isObject(op) || typeof op.op !== 'string')
      throw new PatchError(400, 'invalid JSON patch operation');
    const path = op.path as string;
    switch (op.op) {
      case 'add':
        doc = addAt(doc, path, clone(op.value), false);
        break;
      case 'replace':
        doc = addAt(doc, path, clone(op.value), true);
        break;
      case 'remove':
        removeAt(doc, path);
        break;
      case 'move': {
        const value = removeAt(doc, op.from as string);
        doc = addAt(doc, path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, path, clone(getAt(doc, op.from as string)), false);
        break;
      case 'test':
        if (!deepEqual(getAt(doc, path), op.value)) {
          throw new PatchError(
            422,
            `testing value ${path} failed: test failed`,
          );
        }
        break;
      default:
        throw new PatchError(400, `Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
