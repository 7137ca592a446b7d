/*
 * The README's onboarding ClusterRole grants every call the action makes on a cluster (OnboardClusterClient):
 * namespaces get/create/patch/delete (delete: the rollback of a namespace it created), PeerAuthentications
 * get/create/delete, and listing istiod Deployments in istio-system. API discovery needs no rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const README = fs.readFileSync(
  path.resolve(__dirname, '../../../../../README.md'),
  'utf8',
);
const section = README.slice(
  README.indexOf('### RBAC on each cluster'),
  README.indexOf('## Finding codes'),
);
const role = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .flatMap(m => parseAllDocuments(m[1]).map(d => d.toJS()))
  .find(o => o?.metadata?.name === 'backstage-service-mesh-onboarding');

it.each([
  ['', 'namespaces', ['get', 'create', 'patch', 'delete']],
  ['security.istio.io', 'peerauthentications', ['get', 'create', 'delete']],
  ['apps', 'deployments', ['list']],
])('the onboarding ClusterRole grants %s %s: %s', (group, resource, verbs) => {
  expect(role.kind).toBe('ClusterRole');
  const granted = role.rules
    .filter(
      (r: any) => r.apiGroups.includes(group) && r.resources.includes(resource),
    )
    .flatMap((r: any) => r.verbs);
  expect(granted.sort()).toEqual([...verbs].sort());
});
