// Names, versions and stable identifiers shared by the builders of the mesh's objects.
import { createHash } from 'node:crypto';
import type { JsonObject } from '../json.ts';

export const ISTIO_VERSION = '1.22.4';
export const REVISION = '1-22';
export const MESH_ID = 'multi-cluster-mesh';
export const MESH_LABELS = {
  'cpaas.io/serviceMesh': 'enabled',
  'istio.io/rev': REVISION,
};
export const REGISTRY_ADDRESS = 'registry.example.com:5000';
export const REGISTRY = `${REGISTRY_ADDRESS}/asm`;
export const CREATED = '2026-01-15T08:00:00Z';

/** Stable UIDs, so ownerReferences and targetRefs point at the objects across runs. */
export function uid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

export function hash(text: string, length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha1').update(text).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i] % alphabet.length];
  return out;
}

/** Metadata of a built object: stable uid, one creation time. */
export const meta = (
  cluster: string,
  kind: string,
  name: string,
  ns?: string,
  extra: JsonObject = {},
): JsonObject => ({
  name,
  ...(ns ? { namespace: ns } : {}),
  uid: uid(cluster, kind, ns ?? '', name),
  creationTimestamp: CREATED,
  ...extra,
});
