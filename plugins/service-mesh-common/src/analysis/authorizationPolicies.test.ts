import { emptyData, policy } from '../__testUtils__/fixtures';
import { authorizationPoliciesInForce } from './authorizationPolicies';
import { entityPoliciesInForce } from './entityPolicies';

const ap = (namespace: string, name: string, spec: Record<string, unknown>) =>
  policy('AuthorizationPolicy', namespace, name, { action: 'ALLOW', ...spec });

// pilot/pkg/model/authorization.go ListAuthorizationPolicies looks in the root namespace and the workload's
// namespace; policyattachment.go isSelected: no selector, or matchLabels ⊆ the workload's labels; a targetRef
// keeps the policy off sidecars (ShouldAttachPolicy).
describe('authorizationPoliciesInForce', () => {
  const data = {
    ...emptyData(),
    authorizationPolicies: [
      ap('istio-system', 'mesh-deny-all', {}),
      ap('istio-system', 'root-for-product', {
        selector: { matchLabels: { app: 'product' } },
      }),
      ap('demo', 'ns-wide', {}),
      ap('demo', 'for-product', {
        selector: { matchLabels: { app: 'product', version: 'v1' } },
      }),
      ap('demo', 'for-other', { selector: { matchLabels: { app: 'other' } } }),
      ap('demo', 'waypoint', {
        targetRefs: [{ kind: 'Service', group: '', name: 'product' }],
      }),
      ap('other', 'elsewhere', {}),
    ],
  };

  it('takes root-namespace and own-namespace policies whose selector matches', () => {
    expect(
      authorizationPoliciesInForce(data, 'demo', {
        app: 'product',
        version: 'v1',
      }).map(p => `${p.namespace}/${p.name}`),
    ).toEqual([
      'demo/for-product',
      'demo/ns-wide',
      'istio-system/mesh-deny-all',
      'istio-system/root-for-product',
    ]);
  });

  it('a selector needs every label; without labels only the policies with no selector apply', () => {
    expect(
      authorizationPoliciesInForce(data, 'demo', { app: 'product' }).map(
        p => p.name,
      ),
    ).toEqual(['ns-wide', 'mesh-deny-all', 'root-for-product']);
    expect(authorizationPoliciesInForce(data, 'demo').map(p => p.name)).toEqual(
      ['ns-wide', 'mesh-deny-all'],
    );
  });

  it('is listed in the entity policies of the workload', () => {
    const inForce = entityPoliciesInForce(
      data,
      {
        services: [],
        workloads: [
          {
            namespace: 'demo',
            labels: { app: 'other' },
          },
        ],
      } as never,
      ['demo'],
    );
    expect(
      inForce
        .filter(e => e.policy.kind === 'AuthorizationPolicy')
        .map(e => e.policy.name),
    ).toEqual(['for-other', 'ns-wide', 'mesh-deny-all']);
  });
});
