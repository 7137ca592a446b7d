import { parseResourceName, rbacRule, rbacRuleFor } from './rbac';

describe('rbacRule', () => {
  it('names the list and watch verbs, and a Role for a namespaced read', () => {
    expect(
      rbacRule({ group: '', resource: 'secrets', namespace: 'istio-system' }),
    ).toBe(
      '{apiGroups: [""], resources: ["secrets"], verbs: ["list", "watch"]} (Role in namespace istio-system)',
    );
    expect(rbacRule({ group: 'apps', resource: 'deployments' })).toBe(
      '{apiGroups: ["apps"], resources: ["deployments"], verbs: ["list", "watch"]} (ClusterRole)',
    );
  });

  it('derives rules for core, dotted and slash-style resource names', () => {
    expect(rbacRuleFor('pods')).toBe(
      '{apiGroups: [""], resources: ["pods"], verbs: ["list", "watch"]} (ClusterRole)',
    );
    expect(rbacRuleFor('networking.istio.io/v1/gateways')).toContain(
      'apiGroups: ["networking.istio.io"], resources: ["gateways"]',
    );
    expect(rbacRuleFor('v1/secrets')).toContain(
      'apiGroups: [""], resources: ["secrets"]',
    );
    expect(parseResourceName('destinationrules.networking.istio.io')).toEqual({
      resource: 'destinationrules',
      group: 'networking.istio.io',
    });
    expect(rbacRuleFor(undefined)).toContain('resources: ["<resource>"]');
  });
});
