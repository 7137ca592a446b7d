/*
 * The demo's permission policy: allow everything (as the allow-all module did), except the permissions named in
 * the JSON file at $DEMO_DENIED_PERMISSIONS_FILE (`["service-mesh.read"]`), read at each decision. The browser
 * tests use it to see the pages of a user without service-mesh.read through the real permission backend; without
 * the variable, or without the file, nothing is denied. Demo only: a real app sets its own policy.
 */
import { readFile } from 'node:fs/promises';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

export class DemoPermissionPolicy implements PermissionPolicy {
  constructor(private readonly deniedFile?: string) {}

  async handle(request: PolicyQuery): Promise<PolicyDecision> {
    const denied = await this.#denied();
    return {
      result: denied.includes(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    };
  }

  async #denied(): Promise<string[]> {
    if (!this.deniedFile) return [];
    const text = await readFile(this.deniedFile, 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '[]';
        throw error;
      },
    );
    const names: unknown = JSON.parse(text);
    if (!Array.isArray(names) || !names.every(n => typeof n === 'string'))
      throw new Error(
        `${this.deniedFile} must hold a JSON array of permission names`,
      );
    return names;
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, logger: coreServices.logger },
      async init({ policy, logger }) {
        const file = process.env.DEMO_DENIED_PERMISSIONS_FILE || undefined;
        if (file)
          logger.warn(
            `Demo permission policy: the permissions listed in ${file} are denied to everyone`,
          );
        policy.setPolicy(new DemoPermissionPolicy(file));
      },
    });
  },
});
