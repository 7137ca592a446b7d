import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { DemoPermissionPolicy } from './demoPermissionPolicy';

const read = createPermission({
  name: 'service-mesh.read',
  attributes: { action: 'read' },
});
const other = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
});

describe('DemoPermissionPolicy', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-policy-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('denies what the file lists, at each decision, and allows the rest', async () => {
    const file = join(dir, 'denied.json');
    const policy = new DemoPermissionPolicy(file);
    expect((await policy.handle({ permission: read })).result).toBe(
      AuthorizeResult.ALLOW,
    );
    await writeFile(file, JSON.stringify(['service-mesh.read']));
    expect((await policy.handle({ permission: read })).result).toBe(
      AuthorizeResult.DENY,
    );
    expect((await policy.handle({ permission: other })).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('allows everything without a file, and refuses a file that is not a list of names', async () => {
    expect(
      (await new DemoPermissionPolicy().handle({ permission: read })).result,
    ).toBe(AuthorizeResult.ALLOW);
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"deny": true}');
    await expect(
      new DemoPermissionPolicy(file).handle({ permission: read }),
    ).rejects.toThrow(/JSON array of permission names/);
  });
});
