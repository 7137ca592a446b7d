import type { Entity } from '@backstage/catalog-model';
import type { Finding } from '@internal/plugin-service-mesh-common';
import { fillTemplate, findingValues, owningEntities } from './links';

const finding: Finding = {
  id: 'MESH052-x',
  code: 'MESH052',
  severity: 'warning',
  title: 'Policy differs',
  message: 'm',
  clusters: ['cluster1', 'cluster2'],
  resource: {
    kind: 'DestinationRule',
    namespace: 'global-svc',
    name: 'product service',
  },
  hint: 'h',
};

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations },
});

describe('fillTemplate', () => {
  it('fills placeholders URL-encoded', () => {
    expect(
      fillTemplate(
        'https://kiali/console/namespaces/{namespace}/istio/{kind}/{name}?clusterName={cluster}',
        findingValues(finding),
      ),
    ).toBe(
      'https://kiali/console/namespaces/global-svc/istio/DestinationRule/product%20service?clusterName=cluster1',
    );
  });
  it('gives no link when a placeholder has no value, or no template', () => {
    expect(
      fillTemplate('https://g/?ns={namespace}', { cluster: 'c' }),
    ).toBeUndefined();
    expect(fillTemplate(undefined, findingValues(finding))).toBeUndefined();
  });
});

describe('owningEntities', () => {
  const entities = [
    entity('product', {
      'backstage.io/kubernetes-id': 'product service',
      'backstage.io/kubernetes-namespace': 'global-svc',
    }),
    entity('storefront', {
      'backstage.io/kubernetes-id': 'storefront',
      'backstage.io/kubernetes-namespace': 'global-svc',
    }),
    entity('elsewhere', {
      'backstage.io/kubernetes-id': 'product service',
      'backstage.io/kubernetes-namespace': 'other',
    }),
  ];
  it('prefers the entity whose kubernetes-id is the resource name in its namespace', () => {
    expect(owningEntities(finding, entities).map(e => e.metadata.name)).toEqual(
      ['product'],
    );
  });
  it('falls back to the entities of the namespace', () => {
    const other = {
      ...finding,
      resource: { kind: 'Namespace', namespace: 'global-svc', name: 'x' },
    };
    expect(owningEntities(other, entities).map(e => e.metadata.name)).toEqual([
      'product',
      'storefront',
    ]);
  });
  it('finds nothing for cluster-wide findings', () => {
    expect(
      owningEntities({ ...finding, resource: undefined }, entities),
    ).toEqual([]);
  });
});
