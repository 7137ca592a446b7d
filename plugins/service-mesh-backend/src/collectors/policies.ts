/*
 * DestinationRules, VirtualServices and PeerAuthentications, kept whole (redacted) because primaries do not share
 * Istio config: the analysis compares them across clusters, and the entity view shows the ones that apply.
 */
import { PolicyResource } from '@internal/plugin-service-mesh-common';
import {
  compact,
  mapEach,
  MappingContext,
  MalformedError,
  optionalRecord,
  optionalString,
} from './objects';
import { lookupShared, share } from './intern';
import { redactSecrets } from './redact';

/**
 * Anything `redactSecrets` could change: a secret-looking key name, a PEM block, a URL (with credentials or not).
 * Matched against the spec's JSON, it errs towards redacting.
 */
const MAY_HOLD_SECRETS =
  /passw|passphrase|secret|token|credential|authorization|bearer|cookie|private|api[-_]?key|access[-_]?key|client[-_]?key|signing[-_]?key|"(?:key|pass|pwd)"|-----BEGIN|:\/\//i;

export function mapPolicies(
  items: unknown[],
  kind: PolicyResource['kind'],
  ctx: MappingContext,
): PolicyResource[] {
  return mapEach(items, kind, ctx, (obj, meta) => {
    const spec = optionalRecord(obj.spec, 'spec');
    if (!spec) throw new MalformedError('spec is missing');
    const namespace = meta.namespace ?? '';
    const creationTimestamp = optionalString(
      (obj.metadata as Record<string, unknown>).creationTimestamp,
      'metadata.creationTimestamp',
    );
    const shared = sharedSpec(kind, spec);
    const resource = compact<PolicyResource>({
      kind,
      namespace,
      name: meta.name,
      creationTimestamp,
      spec: shared.spec,
    });
    // The whole resource is shared too where it is equal (same creation time); across real clusters the
    // creation times differ and only the spec is one object.
    const key = `R${namespace}\0${meta.name}\0${creationTimestamp ?? ''}\0${
      shared.key
    }`;
    return lookupShared<PolicyResource>(key) ?? share(resource, key);
  });
}

/**
 * The spec shared with the equal spec of other clusters (primaries usually carry the same Istio config), and its
 * key. A spec with nothing secret-looking in it is kept as read (no copy) and keyed by its JSON; one with anything
 * that might be secret is redacted first, and keyed by the redacted JSON only.
 */
function sharedSpec(
  kind: string,
  spec: Record<string, unknown>,
): { spec: Record<string, unknown>; key: string } {
  const json = JSON.stringify(spec);
  if (!MAY_HOLD_SECRETS.test(json)) {
    const key = `S${kind}\0${json}`;
    return {
      spec:
        lookupShared<Record<string, unknown>>(key) ??
        share<Record<string, unknown>>(spec, key),
      key,
    };
  }
  const redacted = redactSecrets(spec);
  const key = `S${kind}\0${JSON.stringify(redacted)}`;
  return { spec: share(redacted, key), key };
}
