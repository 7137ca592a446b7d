// The `kube-sim` command as other tools run it: plain Node on bin/kube-sim, no build step.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

jest.setTimeout(60_000);

const packageDir = resolve(__dirname, '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kube-sim-cli-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A port that was free a moment ago (the next ones usually are too). */
function freePort(): Promise<number> {
  return new Promise<number>(res => {
    const s = require('node:net').createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => res(port));
    });
  });
}

function run(args: string[]) {
  const env = { ...process.env };
  delete env.npm_lifecycle_event;
  const child = spawn(process.execPath, ['bin/kube-sim', ...args], {
    cwd: packageDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', d => {
    stdout += d;
  });
  child.stderr.on('data', d => {
    stderr += d;
  });
  const exited = new Promise<number | null>(res =>
    child.on('exit', code => res(code)),
  );
  const output = () => ({ stdout, stderr });
  const waitFor = (text: string) =>
    new Promise<void>((res, rej) => {
      const timer = setInterval(() => {
        if (stdout.includes(text)) {
          clearInterval(timer);
          res();
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          rej(new Error(`exited ${child.exitCode}: ${stdout}${stderr}`));
        }
      }, 50);
    });
  return { child, exited, output, waitFor };
}

it('serves a scenario, writes the app-config fragment and kubeconfig, and stops cleanly on SIGTERM', async () => {
  const appConfig = join(dir, 'app-config.kube-sim.yaml');
  const kubeconfigFile = join(dir, 'kubeconfig.yaml');
  const envFile = join(dir, 'cloud.env');
  // --port: the demo pins cluster3 to 46443 (its catalog entity's URL), which another run may hold.
  const sim = run([
    'serve',
    '--scenario',
    'scenarios/demo',
    '--port',
    String(await freePort()),
    '--app-config-out',
    appConfig,
    '--kubeconfig-out',
    kubeconfigFile,
    '--env-out',
    envFile,
  ]);
  await sim.waitFor('kube-sim ready');
  const fragment = parse(readFileSync(appConfig, 'utf8'));
  const clusters = fragment.kubernetes.clusterLocatorMethods[0].clusters;
  expect(fragment.kubernetes.clusterLocatorMethods[0].type).toBe('config');
  expect(fragment.serviceMesh).toEqual({ managementCluster: 'global' });
  expect(clusters.map((c: any) => c.name)).toEqual([
    'global',
    'cluster1',
    'cluster2',
    'cluster3',
  ]);
  for (const c of clusters) {
    expect(c).toEqual({
      name: c.name,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      authProvider: 'serviceAccount',
      serviceAccountToken: `kube-sim-${c.name}-token`,
      skipTLSVerify: true,
      skipMetricsLookup: true,
    });
    const res = await fetch(`${c.url}/api/v1/namespaces`, {
      headers: { Authorization: `Bearer ${c.serviceAccountToken}` },
    });
    expect(res.status).toBe(200);
  }
  const kubeconfig = parse(readFileSync(kubeconfigFile, 'utf8'));
  expect(kubeconfig.contexts.map((c: any) => c.name)).toEqual([
    'global',
    'cluster1',
    'cluster2',
    'cluster3',
  ]);
  expect(kubeconfig.clusters[1].cluster.server).toBe(
    clusters[1].url.replace('http:', 'https:'),
  );
  // The fake cloud's environment, as shell exports (scripts/start.sh sources it).
  const env = readFileSync(envFile, 'utf8');
  expect(env).toContain('export AWS_ACCESS_KEY_ID="AKIAKUBESIMDEMO00001"');
  const sts = /export AWS_ENDPOINT_URL_STS="([^"]+)"/.exec(env)![1];
  expect(sts).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/aws\/sts$/);

  sim.child.kill('SIGTERM');
  expect(await sim.exited).toBe(0);
  await expect(fetch(`${clusters[0].url}/version`)).rejects.toThrow();
});

it('changes a running cluster with `change`, found through the kubeconfig that serve wrote', async () => {
  const kubeconfigFile = join(dir, 'kubeconfig-change.yaml');
  const appConfig = join(dir, 'app-config-change.yaml');
  const sim = run([
    'serve',
    '--scenario',
    'scenarios/demo',
    '--app-config-out',
    appConfig,
    '--kubeconfig-out',
    kubeconfigFile,
  ]);
  await sim.waitFor('kube-sim ready');
  const cluster2 = parse(
    readFileSync(appConfig, 'utf8'),
  ).kubernetes.clusterLocatorMethods[0].clusters.find(
    (c: any) => c.name === 'cluster2',
  );
  const gateways = async () =>
    (
      await (
        await fetch(
          `${cluster2.url}/api/v1/namespaces/istio-system/services?labelSelector=topology.istio.io%2Fnetwork`,
          {
            headers: {
              Authorization: `Bearer ${cluster2.serviceAccountToken}`,
            },
          },
        )
      ).json()
    ).items.map((s: any) => s.status.loadBalancer);
  try {
    const moved = run([
      'change',
      '--cluster',
      'cluster2',
      '--kubeconfig',
      kubeconfigFile,
      'gateway-address',
      '203.0.113.10',
    ]);
    expect(await moved.exited).toBe(0);
    expect(moved.output().stdout).toMatch(
      /^cluster2: updated Service istio-system\/\S+ \(resourceVersion \d+\)$/m,
    );
    expect(await gateways()).toEqual([{ ingress: [{ ip: '203.0.113.10' }] }]);

    const file = join(dir, 'gateway-back.json');
    require('node:fs').writeFileSync(
      file,
      JSON.stringify({ op: 'ignored', items: [] }),
    );
    const badFile = run([
      'change',
      '--cluster',
      'cluster2',
      '--kubeconfig',
      kubeconfigFile,
      'apply',
      file,
    ]);
    expect(await badFile.exited).toBe(2);
    expect(badFile.output().stderr).toContain('usage: apply FILE');

    const unknown = run([
      'change',
      '--cluster',
      'nope',
      '--kubeconfig',
      kubeconfigFile,
      'gateway-address',
      'none',
    ]);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output().stderr).toMatch(
      /no context nope in .*contexts: global, cluster1/,
    );
  } finally {
    sim.child.kill('SIGTERM');
    await sim.exited;
  }
});

it('takes fixed ports from --port upward and prints the fragment without --app-config-out', async () => {
  const probe = await freePort();
  const sim = run(['serve', '--scenario', 'faults', '--port', String(probe)]);
  await sim.waitFor('kube-sim ready');
  expect(sim.output().stdout).toContain(`url: http://127.0.0.1:${probe}\n`);
  expect(sim.output().stdout).toContain(`url: http://127.0.0.1:${probe + 6}\n`);
  expect(sim.output().stderr).toMatch(
    /warning: malformed: malformed\/malformed.yaml/,
  );
  sim.child.kill('SIGINT');
  expect(await sim.exited).toBe(0);
});

it('generates a scenario', async () => {
  const out = join(dir, 'generated');
  const gen = run([
    'generate',
    '--clusters',
    '2',
    '--services',
    '3',
    '--endpoints',
    '4',
    '--out',
    out,
  ]);
  expect(await gen.exited).toBe(0);
  expect(gen.output().stdout).toMatch(
    /wrote .*generated: 2 clusters, 3 services, 4 endpoints per service/,
  );
  expect(
    parse(readFileSync(join(out, 'clusters.yaml'), 'utf8')).clusters.map(
      (c: any) => c.name,
    ),
  ).toEqual(['global', 'cluster-01', 'cluster-02']);
});

it('fails with a message and exit code 2 for a bad command line', async () => {
  const missing = run(['serve', '--scenario', 'no/such/dir']);
  expect(await missing.exited).toBe(2);
  expect(missing.output().stderr).toMatch(/no scenario at .*no\/such\/dir/);
  const unknown = run(['frobnicate']);
  expect(await unknown.exited).toBe(2);
  const badCount = run([
    'generate',
    '--clusters',
    'many',
    '--services',
    '1',
    '--endpoints',
    '1',
    '--out',
    join(dir, 'x'),
  ]);
  expect(await badCount.exited).toBe(2);
  expect(badCount.output().stderr).toMatch(
    /--clusters must be an integer >= 1/,
  );
});
