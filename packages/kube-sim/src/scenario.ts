// Scenario folders: `clusters.yaml`, an optional `common/` folder applied to every cluster, and one folder of
// manifests per cluster (.yaml/.yml multi-document, .json object/array/List, .ndjson/.jsonl one object a line).
import { createReadStream, promises as fs } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { ClusterAuth } from './auth.ts';
import { normalizeAuth } from './auth.ts';
import type { CloudSpec } from './cloud.ts';
import { normalizeCloud } from './cloud.ts';
import { builtinCrds } from './crds.ts';
import { normalizeFaults } from './faults.ts';
import type { JsonObject } from './json.ts';
import { asObject, asString, isObject } from './json.ts';
import type { ClusterStore } from './store.ts';
import type { ClusterFaults, LoadWarning } from './types.ts';

export interface ClusterSpec {
  name: string;
  region?: string;
  network?: string;
  token: string;
  port?: number;
  user: string;
  faults: ClusterFaults;
  builtinCrds: string[];
  /** Who may call it besides `token` (issued cloud tokens, EKS tokens, anonymous). */
  auth: ClusterAuth;
  /** Listed by the fake cloud's GKE API, in this location and with these resource labels. */
  gke?: { location: string; labels: Record<string, string> };
  /**
   * `catalog`: the app-config fragment leaves the cluster out of the `config` locator, for a Resource entity of
   * the catalog to locate (see appConfigFragment); only when it is served on its `port:`.
   */
  locator?: 'config' | 'catalog';
}

export interface Scenario {
  dir: string;
  managementCluster?: string;
  clusters: ClusterSpec[];
  /** The fake cloud's identities and token lifetime (cloud.ts). */
  cloud: CloudSpec;
}

const MANIFEST = /\.(ya?ml|json|ndjson|jsonl)$/i;
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DEFAULT_USER = 'system:serviceaccount:backstage:backstage-service-mesh';

export const defaultToken = (cluster: string) => `kube-sim-${cluster}-token`;

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string'))
    throw new Error(`${where} must be a list of strings`);
  return value as string[];
}

export async function readScenario(dir: string): Promise<Scenario> {
  const file = join(dir, 'clusters.yaml');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new Error(`not a kube-sim scenario: ${file} is missing`);
  }
  const doc = asObject(parseYaml(text));
  if (!Array.isArray(doc.clusters) || doc.clusters.length === 0)
    throw new Error(`${file}: clusters must be a non-empty list`);
  const defaultCrds = stringList(doc.builtinCrds, `${file}: builtinCrds`) ?? [];
  const seen = new Set<string>();
  const clusters = doc.clusters.map((raw, i): ClusterSpec => {
    const c = asObject(raw);
    const where = `${file}: clusters[${i}]`;
    if (typeof c.name !== 'string' || !CLUSTER_NAME.test(c.name))
      throw new Error(`${where}: name must be a DNS-1123 label`);
    if (seen.has(c.name))
      throw new Error(`${where}: duplicate cluster name ${c.name}`);
    seen.add(c.name);
    if (
      c.port !== undefined &&
      (typeof c.port !== 'number' ||
        !Number.isInteger(c.port) ||
        c.port < 0 ||
        c.port > 65535)
    ) {
      throw new Error(`${where}: port must be an integer between 0 and 65535`);
    }
    return {
      name: c.name,
      region: typeof c.region === 'string' ? c.region : undefined,
      network: typeof c.network === 'string' ? c.network : undefined,
      token:
        typeof c.token === 'string' && c.token ? c.token : defaultToken(c.name),
      port: c.port as number | undefined,
      user: asString(c.user) ?? asString(doc.user) ?? DEFAULT_USER,
      faults: normalizeFaults(c.faults, `${where}.faults`),
      builtinCrds:
        stringList(c.builtinCrds, `${where}.builtinCrds`) ?? defaultCrds,
      auth: normalizeAuth(c.auth, where),
      gke: gkeOf(c.gke, where),
      locator: locatorOf(c.locator, where),
    };
  });
  const managementCluster =
    typeof doc.managementCluster === 'string'
      ? doc.managementCluster
      : undefined;
  if (managementCluster && !seen.has(managementCluster)) {
    throw new Error(
      `${file}: managementCluster ${managementCluster} is not one of the clusters`,
    );
  }
  return {
    dir,
    managementCluster,
    clusters,
    cloud: normalizeCloud(doc.cloud, file),
  };
}

function gkeOf(value: unknown, where: string): ClusterSpec['gke'] {
  if (value === undefined) return undefined;
  if (
    !isObject(value) ||
    typeof value.location !== 'string' ||
    (value.labels !== undefined && !isObject(value.labels))
  )
    throw new Error(
      `${where}: gke must be { location: <region or zone>, labels?: {…} }`,
    );
  return {
    location: value.location,
    labels: { ...((value.labels as Record<string, string>) ?? {}) },
  };
}

function locatorOf(value: unknown, where: string): ClusterSpec['locator'] {
  if (value === undefined) return undefined;
  if (value !== 'config' && value !== 'catalog')
    throw new Error(`${where}: locator must be config or catalog`);
  return value;
}

async function manifestFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter(e => e.isFile() && MANIFEST.test(e.name))
    .map(e => join(e.parentPath, e.name))
    .sort();
}

/** Yields the documents of a manifest file; unparsable documents become warnings. */
async function* documents(
  file: string,
  warn: (message: string) => void,
): AsyncGenerator<unknown> {
  if (/\.(ndjson|jsonl)$/i.test(file)) {
    let line = 0;
    for await (const text of createInterface({
      input: createReadStream(file),
      crlfDelay: Infinity,
    })) {
      line++;
      if (!text.trim()) continue;
      try {
        yield JSON.parse(text);
      } catch (e) {
        warn(`line ${line}: ${(e as Error).message}; skipped`);
      }
    }
    return;
  }
  const text = await fs.readFile(file, 'utf8');
  if (/\.json$/i.test(file)) {
    try {
      const value = JSON.parse(text);
      if (Array.isArray(value)) yield* value;
      else yield value;
    } catch (e) {
      warn(`${(e as Error).message}; file skipped`);
    }
    return;
  }
  let index = 0;
  for (const doc of parseAllDocuments(text)) {
    index++;
    if (doc.errors.length > 0) {
      warn(
        `document ${index}: ${doc.errors[0].message.split('\n')[0]}; skipped`,
      );
      continue;
    }
    yield doc.toJS();
  }
}

function describe(obj: unknown): string {
  if (!isObject(obj))
    return `a ${Array.isArray(obj) ? 'list' : typeof obj} document`;
  const o = obj;
  const meta = asObject(o.metadata);
  return `${String(o.kind ?? '?')} ${
    meta.namespace ? `${String(meta.namespace)}/` : ''
  }${String(meta.name ?? '?')}`;
}

/**
 * Loads a cluster's objects: built-in CRDs asked for, then `common/`, then the cluster's folder. Only
 * apiVersion, kind and metadata.name are required; anything else is served as written. Objects whose kind is
 * defined by a CRD that comes later are retried at the end.
 */
export async function loadCluster(
  scenario: Scenario,
  cluster: ClusterSpec,
  store: ClusterStore,
  warnings: LoadWarning[],
): Promise<void> {
  const loadedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const crd of builtinCrds(cluster.builtinCrds)) store.load(crd, loadedAt);
  const pending: Array<{ file: string; obj: JsonObject }> = [];
  const files = [
    ...(await manifestFiles(join(scenario.dir, 'common'))),
    ...(await manifestFiles(join(scenario.dir, cluster.name))),
  ];
  for (const file of files) {
    const rel = relative(scenario.dir, file);
    const warn = (message: string) =>
      warnings.push({ cluster: cluster.name, file: rel, message });
    for await (const doc of documents(file, warn)) {
      if (doc === null || doc === undefined) continue;
      const items =
        isObject(doc) && doc.kind === 'List' && Array.isArray(doc.items)
          ? doc.items
          : [doc];
      for (const obj of items) {
        const o = asObject(obj);
        const meta = asObject(o.metadata);
        if (
          typeof o.apiVersion !== 'string' ||
          typeof o.kind !== 'string' ||
          typeof meta.name !== 'string' ||
          !meta.name
        ) {
          warn(
            `${describe(
              obj,
            )}: apiVersion, kind and metadata.name are required; skipped`,
          );
          continue;
        }
        if (!store.load(o, loadedAt)) pending.push({ file: rel, obj: o });
      }
    }
  }
  for (const { file, obj } of pending) {
    if (!store.load(obj, loadedAt)) {
      const why =
        obj.kind === 'CustomResourceDefinition'
          ? 'not a valid CustomResourceDefinition (spec.group, spec.names and a served version are needed, and the name must be <plural>.<group>)'
          : `${String(obj.apiVersion)} ${String(
              obj.kind,
            )} is not served by this cluster (no CustomResourceDefinition for it)`;
      warnings.push({
        cluster: cluster.name,
        file,
        message: `${describe(obj)}: ${why}; skipped`,
      });
    }
  }
  store.markLoaded();
}
