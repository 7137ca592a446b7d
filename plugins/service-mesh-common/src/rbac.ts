/*
 * The RBAC rule the plugin's service account needs to read a resource, for MESH092 messages and the cluster table:
 * one definition for the collectors (which name the rule when a list is refused) and the analysis (which names it
 * when a snapshot carries none). The collectors list every resource and, when watching, watch it.
 */

/** Verbs the collectors use on every resource they read. */
export const READ_VERBS = ['list', 'watch'] as const;

export interface ReadResource {
  /** API group; '' for the core group. */
  group: string;
  /** Plural resource name. */
  resource: string;
  /** Read in one namespace only: a Role there is enough. */
  namespace?: string;
}

/** `{apiGroups: ["networking.istio.io"], resources: ["destinationrules"], verbs: ["list", "watch"]} (ClusterRole)` */
export function rbacRule(spec: ReadResource): string {
  const verbs = READ_VERBS.map(v => `"${v}"`).join(', ');
  const rule = `{apiGroups: ["${spec.group}"], resources: ["${
    spec.resource || '<resource>'
  }"], verbs: [${verbs}]}`;
  return spec.namespace
    ? `${rule} (Role in namespace ${spec.namespace})`
    : `${rule} (ClusterRole)`;
}

/**
 * The resource a collection error names: `destinationrules.networking.istio.io`,
 * `networking.istio.io/destinationrules`, `networking.istio.io/v1/destinationrules` or `pods`.
 */
export function parseResourceName(resource: string | undefined): ReadResource {
  const text = (resource ?? '').trim();
  if (text.includes('/')) {
    const parts = text.split('/').filter(Boolean);
    return {
      resource: parts[parts.length - 1] ?? '',
      group: parts.length > 1 && !/^v\d/.test(parts[0]) ? parts[0] : '',
    };
  }
  const [first = '', ...rest] = text.split('.');
  return { resource: first, group: rest.join('.') };
}

/** The rule for a resource named as in a collection error (see {@link parseResourceName}). */
export function rbacRuleFor(resource: string | undefined): string {
  return rbacRule(parseResourceName(resource));
}
