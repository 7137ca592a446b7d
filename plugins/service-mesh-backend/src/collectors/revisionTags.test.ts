import { MappingContext } from './objects';
import { mapRevisionTags } from './revisionTags';

// What `istioctl tag set prod --revision 1-22` installs (istioctl/pkg/tag/generate.go generateMutatingWebhook),
// as a metadata-only list returns it.
const tagWebhook = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'meta.k8s.io/v1',
  kind: 'PartialObjectMetadata',
  metadata: { name, labels },
});

describe('mapRevisionTags', () => {
  it('reads the tag and the revision it points at from the webhook labels', () => {
    const ctx = new MappingContext();
    expect(
      mapRevisionTags(
        [
          tagWebhook('istio-revision-tag-prod', {
            'istio.io/tag': 'prod',
            'istio.io/rev': '1-22',
            app: 'sidecar-injector',
          }),
          tagWebhook('istio-revision-tag-broken', { 'istio.io/tag': 'broken' }),
          tagWebhook('istio-sidecar-injector-1-22', { 'istio.io/rev': '1-22' }),
          'garbage',
        ],
        ctx,
      ),
    ).toEqual([
      { tag: 'prod', revision: '1-22', webhook: 'istio-revision-tag-prod' },
      { tag: 'broken', webhook: 'istio-revision-tag-broken' },
    ]);
    expect(ctx.malformedObjects).toEqual([
      { kind: 'MutatingWebhookConfiguration', reason: 'not an object' },
    ]);
  });
});
