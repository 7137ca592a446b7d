/*
 * Revision resolution as the injection webhooks do it: manifests/charts/istio-control/istio-discovery/templates/
 * mutatingwebhook.yaml (namespace selectors), istioctl/pkg/tag (generate.go generateMutatingWebhook and
 * checkTagNameCollidesWithRevisionName, util.go GetWebhookRevision and DeactivateIstioInjectionWebhook).
 */
import type { ControlPlane, RevisionTag } from '../types/snapshot';
import {
  describeRevision,
  injectableRevisionNames,
  namespaceInjection,
  namespaceRevision,
  resolveRevision,
} from './revisions';

const plane = (revision: string): ControlPlane => ({
  revision,
  namespace: 'istio-system',
  deployment: revision === 'default' ? 'istiod' : `istiod-${revision}`,
  desiredReplicas: 1,
  readyReplicas: 1,
});
const tag = (name: string, revision?: string): RevisionTag => ({
  tag: name,
  ...(revision ? { revision } : {}),
  webhook: `istio-revision-tag-${name}`,
});

describe('namespaceInjection (mutatingwebhook.yaml namespace selectors)', () => {
  it('lets istio-injection win over istio.io/rev: only "enabled" matches a webhook', () => {
    expect(
      namespaceInjection({
        'istio-injection': 'disabled',
        'istio.io/rev': '1-22',
      }),
    ).toEqual({ onboarded: false });
    expect(
      namespaceInjection({
        'istio-injection': 'enabled',
        'istio.io/rev': '1-22',
      }),
    ).toEqual({ onboarded: true, revision: 'default' });
    // The revision webhooks require istio-injection DoesNotExist; the default one requires In [enabled].
    expect(
      namespaceInjection({ 'istio-injection': 'yes', 'istio.io/rev': '1-22' }),
    ).toEqual({ onboarded: false });
    expect(namespaceInjection({ 'istio.io/rev': 'prod' })).toEqual({
      onboarded: true,
      revision: 'prod',
    });
    expect(namespaceInjection({ 'cpaas.io/serviceMesh': 'enabled' })).toEqual({
      onboarded: true,
    });
  });
});

describe('resolveRevision', () => {
  const data = {
    controlPlanes: [plane('1-22'), plane('1-23')],
    revisionTags: [
      tag('prod', '1-22'),
      tag('canary', '1-23'),
      tag('old', '1-21'),
    ],
  };

  it('resolves a revision to itself and a tag to the revision its webhook names (istio.io/rev label)', () => {
    expect(resolveRevision(data, '1-22')).toMatchObject({
      revision: '1-22',
      controlPlanes: [{ deployment: 'istiod-1-22' }],
    });
    const prod = resolveRevision(data, 'prod');
    expect(prod).toMatchObject({
      requested: 'prod',
      revision: '1-22',
      tag: { webhook: 'istio-revision-tag-prod' },
      controlPlanes: [{ deployment: 'istiod-1-22' }],
    });
    expect(describeRevision(prod)).toBe('prod (tag → 1-22)');
  });

  it('finds no istiod for a tag pointing at a revision that is not installed, or for an unknown name', () => {
    expect(resolveRevision(data, 'old')).toMatchObject({
      revision: '1-21',
      controlPlanes: [],
    });
    expect(resolveRevision(data, 'stable')).toMatchObject({
      revision: 'stable',
      controlPlanes: [],
    });
    expect(resolveRevision({ ...data, revisionTags: [tag('x')] }, 'x')).toEqual(
      {
        requested: 'x',
        tag: tag('x'),
        controlPlanes: [],
      },
    );
  });

  it('lets the default tag win over a default revision (DeactivateIstioInjectionWebhook)', () => {
    const both = {
      controlPlanes: [plane('default'), plane('1-22')],
      revisionTags: [tag('default', '1-22')],
    };
    expect(
      namespaceRevision(both, { 'istio-injection': 'enabled' }),
    ).toMatchObject({ revision: '1-22', tag: { tag: 'default' } });
    expect(
      namespaceRevision(both, { 'istio.io/rev': 'default' }),
    ).toMatchObject({ revision: '1-22' });
    // Without the tag, istio-injection=enabled is the default revision's.
    expect(
      namespaceRevision(
        { controlPlanes: both.controlPlanes, revisionTags: [] },
        { 'istio-injection': 'enabled' },
      ),
    ).toMatchObject({
      revision: 'default',
      controlPlanes: [{ deployment: 'istiod' }],
    });
  });

  it('lists the names a namespace may use: revisions and the tags that reach an istiod', () => {
    expect(injectableRevisionNames(data)).toEqual([
      '1-22',
      '1-23',
      'canary',
      'prod',
    ]);
  });
});
