// Debian's kubectl (an independent Kubernetes client) against the demo scenario. $KUBECTL names the binary
// (scripts/lib.sh points it at the extracted Debian package), else `kubectl` on PATH. Under CI a missing kubectl
// fails these tests; elsewhere they are skipped with a note.
import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { kubeconfig, startSimulator } from './simulator.ts';
import type { RunningSimulator } from './types.ts';
import { scenarioDir } from './__testUtils__/sim.ts';

jest.setTimeout(60_000);

function findKubectl(): string | undefined {
  const candidates = process.env.KUBECTL
    ? [process.env.KUBECTL]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .map(dir => join(dir, 'kubectl'));
  return candidates.find(file => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const kubectlBin = findKubectl();
const where = process.env.KUBECTL
  ? `KUBECTL=${process.env.KUBECTL}`
  : 'not on PATH';
const notFound = `kubectl not found (${where}); scripts/test-all.sh extracts Debian's kubernetes-client and sets KUBECTL`;
if (!kubectlBin && !process.env.CI)
  console.warn(`skipping kubectl tests: ${notFound}`);
// under CI the tests run, and fail with the message above when kubectl is missing
const describeKubectl = kubectlBin || process.env.CI ? describe : describe.skip;

let sim: RunningSimulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: scenarioDir('demo') });
  dir = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-'));
  writeFileSync(join(dir, 'kubeconfig'), stringify(kubeconfig(sim)));
});

afterAll(async () => {
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function kubectl(
  context: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!kubectlBin) throw new Error(notFound);
  return new Promise(resolve => {
    execFile(
      kubectlBin,
      [
        '--kubeconfig',
        join(dir, 'kubeconfig'),
        '--cache-dir',
        join(dir, 'cache'),
        '--context',
        context,
        ...args,
      ],
      { timeout: 30_000, env: { ...process.env, HOME: dir } },
      (error, stdout, stderr) => {
        const code = typeof error?.code === 'number' ? error.code : 1;
        resolve({ code: error ? code : 0, stdout, stderr });
      },
    );
  });
}

const rows = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map(line => line.trim().split(/\s{2,}/));

describeKubectl('kubectl', () => {
  it('get pods -A lists the pods of every namespace', async () => {
    const res = await kubectl('cluster1', 'get', 'pods', '-A');
    expect(res.stderr).toBe('');
    const table = rows(res.stdout);
    expect(table[0]).toEqual([
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    expect(table.slice(1)).toHaveLength(10);
    expect(
      table
        .filter(
          r => r[0] === 'global-svc' && r[1].startsWith('product-service-'),
        )
        .map(r => r.slice(2, 4)),
    ).toEqual([
      ['2/2', 'Running'],
      ['2/2', 'Running'],
      ['2/2', 'Running'],
    ]);
  });

  it('get servicemesh prints the columns of the installation guide', async () => {
    const res = await kubectl(
      'global',
      'get',
      'servicemesh',
      '-n',
      'cpaas-system',
    );
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0].split(/\s+/)).toEqual([
      'NAME',
      'STATE',
      'SYNTHESISPHASE',
      'PHASE',
      'VERSION',
      'DESIREDVERSION',
    ]);
    expect(lines.slice(1).map(l => l.split(/\s+/))).toEqual([
      ['cluster1', 'Deployed', 'Deployed', 'v4.0.20', 'v4.0.20'],
      ['cluster2', 'Deployed', 'Deployed', 'v4.0.20', 'v4.0.20'],
      ['cluster3', 'Deployed', 'Deployed', 'v4.0.20', 'v4.0.21'],
    ]);
  });

  it('get destinationrules -A resolves the CRD through discovery', async () => {
    const res = await kubectl('cluster1', 'get', 'destinationrules', '-A');
    expect(res.code).toBe(0);
    expect(rows(res.stdout).map(r => r.slice(0, 3))).toEqual([
      ['NAMESPACE', 'NAME', 'HOST'],
      [
        'global-svc',
        'product-service',
        'product-service.global-svc.svc.cluster.local',
      ],
      ['istio-system', 'global', '*.cluster.local'],
      ['payments', 'payments', 'payments.payments.svc.cluster.local'],
    ]);
    const onGlobal = await kubectl('global', 'get', 'destinationrules', '-A');
    expect(onGlobal.code).not.toBe(0);
    expect(onGlobal.stderr).toMatch(
      /the server doesn't have a resource type "destinationrules"/,
    );
  });

  it('label namespace merges a label, and get -o jsonpath reads it back', async () => {
    const labelled = await kubectl(
      'cluster3',
      'label',
      'namespace',
      'payments',
      'cpaas.io/serviceMesh=enabled',
      'istio.io/rev=1-22',
    );
    expect(labelled).toMatchObject({
      code: 0,
      stdout: 'namespace/payments labeled\n',
    });
    const got = await kubectl(
      'cluster3',
      'get',
      'ns',
      'payments',
      '-o',
      'jsonpath={.metadata.labels}',
    );
    expect(JSON.parse(got.stdout)).toEqual({
      'cpaas.io/serviceMesh': 'enabled',
      'istio.io/rev': '1-22',
      'kubernetes.io/metadata.name': 'payments',
    });
    const conflict = await kubectl(
      'cluster3',
      'label',
      'namespace',
      'payments',
      'istio.io/rev=1-23',
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/already has a value \(1-22\)/);
  });

  it('reports API errors: NotFound, Invalid, Forbidden-free reads with selectors', async () => {
    const notThere = await kubectl(
      'cluster1',
      'get',
      'svc',
      'nope',
      '-n',
      'global-svc',
    );
    expect(notThere.stderr).toMatch(
      /Error from server \(NotFound\): services "nope" not found/,
    );
    const invalid = await kubectl(
      'cluster1',
      'create',
      'namespace',
      'Bad_Name',
    );
    expect(invalid.stderr).toMatch(/The Namespace "Bad_Name" is invalid/);
    const selected = await kubectl(
      'cluster2',
      'get',
      'pods',
      '-n',
      'global-svc',
      '-l',
      'app=product,!security.istio.io/tlsMode',
      '-o',
      'name',
    );
    expect(selected.stdout.trim().split('\n')).toHaveLength(1);
    const byNode = await kubectl(
      'cluster3',
      'get',
      'pods',
      '-A',
      '--field-selector',
      'spec.nodeName=cluster3-node-3',
      '-o',
      'name',
    );
    expect(byNode.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('scales a deployment, edits with patch, and deletes', async () => {
    expect(
      (
        await kubectl(
          'cluster2',
          'scale',
          'deployment',
          'istiod-1-22',
          '-n',
          'istio-system',
          '--replicas=0',
        )
      ).code,
    ).toBe(0);
    const ready = await kubectl(
      'cluster2',
      'get',
      'deploy',
      'istiod-1-22',
      '-n',
      'istio-system',
      '-o',
      'jsonpath={.spec.replicas}/{.status.readyReplicas}',
    );
    expect(ready.stdout).toBe('0/0');
    expect(
      (
        await kubectl(
          'cluster2',
          'patch',
          'svc',
          'storefront',
          '-n',
          'global-svc',
          '-p',
          '{"metadata":{"labels":{"x":"y"}}}',
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await kubectl(
          'cluster2',
          'get',
          'svc',
          'storefront',
          '-n',
          'global-svc',
          '-o',
          'jsonpath={.metadata.labels.x}',
        )
      ).stdout,
    ).toBe('y');
    expect(
      (
        await kubectl(
          'cluster2',
          'delete',
          'configmap',
          'istio-ca-root-cert',
          '-n',
          'payments',
        )
      ).stdout,
    ).toMatch(/deleted/);
  });
});
