/*
 * Revision tags: MutatingWebhookConfigurations labelled `istio.io/tag`, listed as metadata only. The tag and the
 * revision it points at are the webhook's `istio.io/tag` and `istio.io/rev` labels, as istioctl reads them
 * (istioctl/pkg/tag/util.go GetWebhookTagName, GetWebhookRevision); the analysis resolves namespaces through them
 * (plugins/service-mesh-common analysis/revisions.ts).
 */
import { LABELS, RevisionTag } from '@internal/plugin-service-mesh-common';
import { compact, mapEach, MappingContext } from './objects';

export function mapRevisionTags(
  items: unknown[],
  ctx: MappingContext,
): RevisionTag[] {
  return mapEach(items, 'MutatingWebhookConfiguration', ctx, (_obj, meta) => {
    const tag = meta.labels[LABELS.revisionTag];
    if (!tag) return undefined;
    return compact<RevisionTag>({
      tag,
      revision: meta.labels[LABELS.revision] || undefined,
      webhook: meta.name,
    });
  });
}
