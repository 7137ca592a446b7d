// Parses API paths and Accept headers: which resource and verb a request is about, and how to encode the answer.

export type Route =
  | { kind: 'root' }
  | { kind: 'health'; path: string }
  | { kind: 'version' }
  | { kind: 'coreVersions' }
  | { kind: 'groupList' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | { kind: 'notFound'; path: string }
  | ResourceRoute;

export interface ResourceRoute {
  kind: 'resource';
  group: string;
  version: string;
  plural: string;
  /** Set for namespaced paths (`/namespaces/<ns>/<plural>`). */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Legacy `/watch/` path prefix. */
  watchPath: boolean;
}

/**
 * `isNamespaced(group, version, plural)` tells whether `/namespaces/<x>/<plural>` is a namespaced collection
 * rather than subresource `<plural>` of namespace `<x>` (`/api/v1/namespaces/foo/status`).
 */
export function parseRoute(
  path: string,
  isNamespaced: (group: string, version: string, plural: string) => boolean,
): Route {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (seg.length === 0) return { kind: 'root' };
  if (['healthz', 'livez', 'readyz'].includes(seg[0]))
    return { kind: 'health', path };
  if (seg[0] === 'version' && seg.length === 1) return { kind: 'version' };
  let group: string;
  let version: string;
  let rest: string[];
  if (seg[0] === 'api') {
    if (seg.length === 1) return { kind: 'coreVersions' };
    if (seg[1] !== 'v1') return { kind: 'notFound', path };
    if (seg.length === 2)
      return { kind: 'resourceList', group: '', version: 'v1' };
    [group, version, rest] = ['', 'v1', seg.slice(2)];
  } else if (seg[0] === 'apis') {
    if (seg.length === 1) return { kind: 'groupList' };
    if (seg.length === 2) return { kind: 'group', group: seg[1] };
    if (seg.length === 3)
      return { kind: 'resourceList', group: seg[1], version: seg[2] };
    [group, version, rest] = [seg[1], seg[2], seg.slice(3)];
  } else {
    return { kind: 'notFound', path };
  }
  const watchPath = rest[0] === 'watch';
  if (watchPath) rest = rest.slice(1);
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    isNamespaced(group, version, rest[2])
  ) {
    if (rest.length > 5) return { kind: 'notFound', path };
    return {
      kind: 'resource',
      group,
      version,
      namespace: rest[1],
      plural: rest[2],
      name: rest[3],
      subresource: rest[4],
      watchPath,
    };
  }
  if (rest.length === 0 || rest.length > 3) return { kind: 'notFound', path };
  return {
    kind: 'resource',
    group,
    version,
    plural: rest[0],
    name: rest[1],
    subresource: rest[2],
    watchPath,
  };
}

export type Representation =
  | { as: 'json' }
  | { as: 'Table'; version: string }
  | { as: 'PartialObjectMetadata'; version: string };

/**
 * Picks the first representation of the Accept header that the simulator can produce: plain JSON, a Table, or
 * metadata only (`as=PartialObjectMetadata` or `as=PartialObjectMetadataList`). Undefined: 406.
 */
export function negotiate(
  accept: string | undefined,
): Representation | undefined {
  if (!accept || !accept.trim()) return { as: 'json' };
  for (const part of accept.split(',')) {
    const [mediaType, ...paramList] = part.split(';').map(s => s.trim());
    if (
      !['application/json', '*/*', 'application/*'].includes(
        mediaType.toLowerCase(),
      )
    )
      continue;
    const params = Object.fromEntries(
      paramList.map(p => {
        const i = p.indexOf('=');
        return i < 0 ? [p, ''] : [p.slice(0, i).trim(), p.slice(i + 1).trim()];
      }),
    );
    if (!params.as) return { as: 'json' };
    if (params.g !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(params.v))
      continue;
    if (params.as === 'Table') return { as: 'Table', version: params.v };
    if (
      params.as === 'PartialObjectMetadata' ||
      params.as === 'PartialObjectMetadataList'
    ) {
      return { as: 'PartialObjectMetadata', version: params.v };
    }
  }
  return undefined;
}

export function verbOf(
  method: string,
  route: ResourceRoute,
  query: Record<string, string>,
): string {
  const watch =
    route.watchPath || query.watch === '1' || query.watch === 'true';
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return route.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
