/*
 * The README's RBAC ("Connect your clusters" → "RBAC on each cluster") grants every read the collectors make:
 * list and watch on each resource of RESOURCES (in istio-system only where the collector reads one namespace),
 * and create + get on pods/portforward in istio-system for istiod's view (the port-forward istioctl uses).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { RESOURCES, ResourceSpec } from './resources';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface RbacObject {
  kind: 'ClusterRole' | 'Role';
  metadata: { name: string; namespace?: string };
  rules: Rule[];
}

const README = fs.readFileSync(
  path.resolve(__dirname, '../../../../README.md'),
  'utf8',
);
const section = README.slice(
  README.indexOf('### RBAC on each cluster'),
  README.indexOf('## Finding codes'),
);
const objects = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .flatMap(m => parseAllDocuments(m[1]).map(d => d.toJS()))
  .filter(o => o?.kind === 'ClusterRole' || o?.kind === 'Role') as RbacObject[];
const reader = objects.filter(
  o => o.metadata.name === 'backstage-service-mesh-reader',
);

function grants(
  roles: RbacObject[],
  group: string,
  resource: string,
  verb: string,
  namespace?: string,
): boolean {
  return roles.some(
    role =>
      (role.kind === 'ClusterRole' || role.metadata.namespace === namespace) &&
      role.rules.some(
        r =>
          r.apiGroups.includes(group) &&
          r.resources.includes(resource) &&
          r.verbs.includes(verb),
      ),
  );
}

describe('the README RBAC for the collectors', () => {
  it.each(Object.entries(RESOURCES) as Array<[string, ResourceSpec]>)(
    'grants list and watch for %s',
    (_key, spec) => {
      for (const verb of ['list', 'watch'])
        expect([
          spec.resource,
          verb,
          grants(reader, spec.group, spec.resource, verb, spec.namespace),
        ]).toEqual([spec.resource, verb, true]);
    },
  );

  it('reads Secrets in istio-system only, and may port-forward to istiod there', () => {
    expect(
      grants(
        reader.filter(r => r.kind === 'ClusterRole'),
        '',
        'secrets',
        'list',
      ),
    ).toBe(false);
    expect(grants(reader, '', 'secrets', 'list', 'istio-system')).toBe(true);
    for (const verb of ['create', 'get']) {
      expect(grants(reader, '', 'pods/portforward', verb, 'istio-system')).toBe(
        true,
      );
      expect(grants(reader, '', 'pods/portforward', verb, 'default')).toBe(
        false,
      );
    }
    // Nothing of the reader writes: its one `create` opens the port-forward tunnel, it stores no object.
    const verbs = new Set(reader.flatMap(r => r.rules.flatMap(x => x.verbs)));
    expect([...verbs].sort()).toEqual(['create', 'get', 'list', 'watch']);
    expect(
      reader.flatMap(r =>
        r.rules
          .filter(x => x.verbs.includes('create'))
          .flatMap(x => x.resources),
      ),
    ).toEqual(['pods/portforward']);
  });
});
