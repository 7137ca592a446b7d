/*
 * DestinationRules, VirtualServices and PeerAuthentications, kept whole (redacted) because primaries do not share
 * Istio config: the analysis compares them across clusters, and the entity view shows the ones that apply.
 */
import { PolicyResource } from '@internal/plugin-service-mesh-common';
import {
  mapEach,
  MappingContext,
  MalformedError,
  optionalRecord,
} from './objects';
import { redactSecrets } from './redact';

export function mapPolicies(
  items: unknown[],
  kind: PolicyResource['kind'],
  ctx: MappingContext,
): PolicyResource[] {
  return mapEach(items, kind, ctx, (obj, meta) => {
    const spec = optionalRecord(obj.spec, 'spec');
    if (!spec) throw new MalformedError('spec is missing');
    return {
      kind,
      namespace: meta.namespace ?? '',
      name: meta.name,
      spec: redactSecrets(spec),
    };
  });
}
