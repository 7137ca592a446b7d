import type { Finding } from '../types/api';
import { findingsForEntity } from './entityFindings';

const f = (
  code: Finding['code'],
  clusters: string[],
  resource?: Finding['resource'],
): Finding => ({
  id: `${code}-${clusters.join('-')}-${resource?.name ?? ''}`,
  code,
  severity: 'warning',
  title: '',
  message: '',
  clusters,
  ...(resource ? { resource } : {}),
  hint: '',
});

const findings: Finding[] = [
  f('MESH010', ['cluster2', 'cluster3'], {
    kind: 'Secret',
    namespace: 'istio-system',
    name: 'istio-remote-secret-cluster3',
  }),
  f('MESH032', ['cluster3'], {
    kind: 'Service',
    namespace: 'istio-system',
    name: 'istio-eastwestgateway',
  }),
  f('MESH090', ['cluster9']),
  f('MESH011', ['cluster1'], {
    kind: 'Secret',
    namespace: 'istio-system',
    name: 'old',
  }),
  f('MESH052', ['cluster1', 'cluster3'], {
    kind: 'DestinationRule',
    namespace: 'global-svc',
    name: 'product-service',
  }),
  f('MESH052', ['cluster1', 'cluster3'], {
    kind: 'DestinationRule',
    namespace: 'istio-system',
    name: 'global',
  }),
  f('MESH052', ['cluster1'], {
    kind: 'DestinationRule',
    namespace: 'other',
    name: 'x',
  }),
  f('MESH062', ['cluster3'], { kind: 'Namespace', name: 'payments' }),
  f('MESH063', ['cluster2'], {
    kind: 'Deployment',
    namespace: 'global-svc',
    name: 'product-service',
  }),
  f('MESH063', ['cluster2'], {
    kind: 'Deployment',
    namespace: 'global-svc',
    name: 'cart',
  }),
  f('MESH050', ['cluster1'], {
    kind: 'Service',
    namespace: 'global-svc',
    name: 'cart',
  }),
];

describe('findingsForEntity', () => {
  it('keeps findings about the entity and mesh-wide problems in its clusters', () => {
    const result = findingsForEntity(findings, {
      namespaces: [],
      services: [{ namespace: 'global-svc', name: 'product-service' }],
      clusters: ['cluster1', 'cluster2'],
    });
    expect(result.map(x => x.id)).toEqual([
      'MESH010-cluster2-cluster3-istio-remote-secret-cluster3',
      'MESH052-cluster1-cluster3-product-service',
      'MESH052-cluster1-cluster3-global',
      'MESH063-cluster2-product-service',
    ]);
  });

  it('includes everything in the entity namespaces', () => {
    const result = findingsForEntity(findings, {
      namespaces: ['global-svc', 'payments'],
      services: [],
      clusters: ['cluster3'],
    });
    expect(result.map(x => x.code)).toEqual([
      'MESH010',
      'MESH032',
      'MESH052',
      'MESH052',
      'MESH062',
      'MESH063',
      'MESH063',
      'MESH050',
    ]);
  });

  it('tolerates malformed input', () => {
    expect(findingsForEntity(null as any, null as any)).toEqual([]);
    expect(
      findingsForEntity(
        [null, 1, { code: 'MESH090' }] as any,
        { clusters: 'x' } as any,
      ),
    ).toEqual([]);
  });
});
