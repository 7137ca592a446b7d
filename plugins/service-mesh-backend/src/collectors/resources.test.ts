import { CHECK_INPUT_SOURCES } from '@internal/plugin-service-mesh-common';
import { rbacRule, RESOURCES } from './resources';

describe('the resources the collectors read', () => {
  it('are each a source of some analysis input, so a failed read skips the checks that need it', () => {
    const sources = new Set(Object.values(CHECK_INPUT_SOURCES).flat());
    const unmapped = Object.values(RESOURCES)
      .map(spec => spec.resource)
      .filter(resource => !sources.has(resource));
    expect(unmapped).toEqual([]);
  });

  it('name the RBAC rule with the verbs the collectors use', () => {
    expect(rbacRule(RESOURCES.remoteSecrets)).toBe(
      '{apiGroups: [""], resources: ["secrets"], verbs: ["list", "watch"]} (Role in namespace istio-system)',
    );
  });
});
