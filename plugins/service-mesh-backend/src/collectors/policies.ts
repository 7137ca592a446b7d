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
    return compact<PolicyResource>({
      kind,
      namespace,
      name: meta.name,
      creationTimestamp,
      spec: sharedSpec(kind, spec),
    });
  });
}

/**
 * The spec shared with the equal spec of other clusters: primaries usually carry the same Istio config (each
 * cluster keeps its own resource, since creation times differ). A spec with nothing secret-looking in it is kept
 * as read (no copy) and keyed by its JSON; one with anything that might be secret is redacted first, and keyed by
 * the redacted JSON only.
 */
export function sharedSpec(
  kind: string,
  spec: Record<string, unknown>,
): Record<string, unknown> {
  const json = JSON.stringify(spec);
  if (!MAY_HOLD_SECRETS.test(json)) {
    const key = `S${kind}\0${json}`;
    return (
      lookupShared<Record<string, unknown>>(key) ??
      share<Record<string, unknown>>(spec, key)
    );
  }
  const redacted = redactSecrets(spec);
  return share(redacted, `S${kind}\0${JSON.stringify(redacted)}`);
}
