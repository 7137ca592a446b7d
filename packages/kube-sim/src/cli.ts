// The `kube-sim` command: `serve` a scenario folder, or `generate` one. Started by bin/kube-sim.
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { parse as parseYaml } from 'yaml';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CHANGE_USAGE, objectsOfFile } from './changes.ts';
import { generateScenario } from './generate.ts';
import {
  appConfigFragment,
  kubeconfig,
  simulatorInternals,
  startSimulator,
} from './simulator.ts';

const USAGE = `kube-sim: Kubernetes API simulator

Usage:
  kube-sim serve --scenario DIR [--app-config-out FILE] [--kubeconfig-out FILE] [--env-out FILE] [--port N] [--host H] [--log-requests]
      Serves every cluster of the scenario on its own port (from --port upward, else the port: of clusters.yaml,
      else a free one), and the fake cloud (token endpoints, STS, GKE API) on one more; writes the app-config
      fragment, the kubeconfig and the cloud's environment variables (export lines), prints "kube-sim ready",
      stops on SIGTERM/SIGINT. DIR may also name a scenario of this package (demo, faults).
  kube-sim generate --clusters N --services M --endpoints K --out DIR
      Writes a multi-primary, multi-network mesh scenario: N clusters, M services in each, K endpoints per
      service spread over the clusters.
  kube-sim change --cluster NAME [--kubeconfig FILE] CHANGE ARGS...
      Changes a running simulator's cluster (POST /_sim/change), found in the kubeconfig that serve wrote
      (default kubeconfig.kube-sim.local.yaml). Watches see it at once. CHANGE is one of:
${Object.values(CHANGE_USAGE)
  .map(u => `        ${u}`)
  .join('\n')}
`;

export interface CliContext {
  /** The kube-sim package folder (for the bundled scenarios). */
  packageDir: string;
  /** Where relative paths start. */
  cwd: string;
}

type Flags = Record<string, string | true>;

function parseFlags(args: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1].startsWith('--'))
      flags[arg.slice(2)] = args[++i];
    else flags[arg.slice(2)] = true;
  }
  return flags;
}

function stringFlag(flags: Flags, name: string, required: true): string;
function stringFlag(
  flags: Flags,
  name: string,
  required?: false,
): string | undefined;
function stringFlag(
  flags: Flags,
  name: string,
  required = false,
): string | undefined {
  const value = flags[name];
  if (value === true) throw new Error(`--${name} needs a value`);
  if (value === undefined && required) throw new Error(`--${name} is required`);
  return value;
}

function intFlag(flags: Flags, name: string, min: number): number {
  const value = Number(stringFlag(flags, name, true));
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer >= ${min}`);
  return value;
}

function resolveScenario(ctx: CliContext, dir: string): string {
  const direct = isAbsolute(dir) ? dir : resolve(ctx.cwd, dir);
  if (existsSync(join(direct, 'clusters.yaml'))) return direct;
  const bundled = join(ctx.packageDir, 'scenarios', dir);
  if (!isAbsolute(dir) && existsSync(join(bundled, 'clusters.yaml')))
    return bundled;
  throw new Error(`no scenario at ${direct} (a folder with clusters.yaml)`);
}

async function writeYaml(
  file: string,
  header: string,
  value: object,
): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true });
  await fs.writeFile(file, `${header}\n${stringify(value, { lineWidth: 0 })}`, {
    mode: 0o600,
  });
}

async function serve(ctx: CliContext, flags: Flags): Promise<void> {
  const scenarioDir = resolveScenario(ctx, stringFlag(flags, 'scenario', true));
  const port = flags.port === undefined ? undefined : intFlag(flags, 'port', 1);
  const sim = await startSimulator({
    scenarioDir,
    host: stringFlag(flags, 'host'),
    port,
    scenarioPorts: true,
  });
  const { servers } = simulatorInternals(sim);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`kube-sim: ${signal}, stopping`);
    sim.stop().then(
      () => process.exit(0),
      e => {
        console.error(`kube-sim: ${e}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  if (flags['log-requests']) {
    for (const s of servers) {
      s.onRequest = e =>
        console.log(
          `[${s.name}] ${e.method} ${e.path}${
            Object.keys(e.query).length
              ? `?${new URLSearchParams(e.query)}`
              : ''
          } accept=${e.accept || '-'}`,
        );
    }
  }
  console.log(`kube-sim: scenario ${scenarioDir}`);
  for (const s of servers) {
    const c = sim.clusters.find(x => x.name === s.name)!;
    const notes = [
      s.name === sim.managementCluster ? 'management cluster' : '',
      c.region ? `region ${c.region}` : '',
      c.network ? `network ${c.network}` : '',
      `${s.store.objectCount()} objects`,
      ...Object.entries(s.faults()).map(
        ([k, v]) => `fault ${k}=${JSON.stringify(v)}`,
      ),
    ].filter(Boolean);
    console.log(
      `  ${s.name.padEnd(14)} ${s.url.padEnd(24)} ${notes.join(', ')}`,
    );
  }
  for (const w of sim.warnings)
    console.warn(`kube-sim: warning: ${w.cluster}: ${w.file}: ${w.message}`);
  const appConfigOut = stringFlag(flags, 'app-config-out');
  const fragment = appConfigFragment(sim);
  if (appConfigOut) {
    const file = resolve(ctx.cwd, appConfigOut);
    await writeYaml(
      file,
      `# Written by kube-sim serve for ${scenarioDir}; valid while it runs.`,
      fragment,
    );
    console.log(`kube-sim: app-config fragment written to ${file}`);
  } else {
    console.log(stringify(fragment, { lineWidth: 0 }));
  }
  const envOut = stringFlag(flags, 'env-out');
  if (envOut) {
    // The fake cloud, for a backend using the aws, azure or googleServiceAccount providers (scripts/start.sh).
    const file = resolve(ctx.cwd, envOut);
    const lines = Object.entries(sim.cloud.environment()).map(
      ([key, value]) => `export ${key}=${JSON.stringify(value)}`,
    );
    await fs.mkdir(dirname(file), { recursive: true });
    await fs.writeFile(
      file,
      `# Written by kube-sim serve for ${scenarioDir}; valid while it runs.\n${lines.join(
        '\n',
      )}\n`,
    );
    console.log(`kube-sim: cloud environment written to ${file}`);
  }
  const kubeconfigOut = stringFlag(flags, 'kubeconfig-out');
  if (kubeconfigOut) {
    const file = resolve(ctx.cwd, kubeconfigOut);
    await writeYaml(
      file,
      `# Written by kube-sim serve for ${scenarioDir}; valid while it runs.`,
      kubeconfig(sim),
    );
    console.log(`kube-sim: kubeconfig written to ${file}`);
  }
  console.log('kube-sim ready');
}

async function generate(ctx: CliContext, flags: Flags): Promise<void> {
  const out = resolve(ctx.cwd, stringFlag(flags, 'out', true));
  const options = {
    clusters: intFlag(flags, 'clusters', 1),
    services: intFlag(flags, 'services', 0),
    endpoints: intFlag(flags, 'endpoints', 0),
    out,
  };
  const started = Date.now();
  await generateScenario(options);
  console.log(
    `kube-sim: wrote ${out}: ${options.clusters} clusters, ${
      options.services
    } services, ${options.endpoints} endpoints per service in ${
      Date.now() - started
    } ms`,
  );
}

/** `--cluster`/`--kubeconfig` anywhere; the first other word is the change, the rest its arguments. */
function parseChangeArgs(args: string[]): {
  cluster?: string;
  kubeconfig?: string;
  words: string[];
} {
  const out: { cluster?: string; kubeconfig?: string; words: string[] } = {
    words: [],
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') ? arg.split('=', 2) : [];
    if (flag === '--cluster' || flag === '--kubeconfig') {
      const value = inline ?? args[++i];
      if (!value) throw new Error(`${flag} needs a value`);
      out[flag === '--cluster' ? 'cluster' : 'kubeconfig'] = value;
    } else out.words.push(arg);
  }
  return out;
}

/** Server, token and CA of one context of a kubeconfig written by `serve`. */
async function contextOf(
  file: string,
  name: string,
): Promise<{ server: string; token: string; ca?: Buffer }> {
  let config: any;
  try {
    config = parseYaml(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(
      `cannot read the kubeconfig ${file} (written by kube-sim serve --kubeconfig-out): ${
        (e as Error).message
      }`,
    );
  }
  const context = config?.contexts?.find((c: any) => c?.name === name)?.context;
  if (!context)
    throw new Error(
      `no context ${name} in ${file} (contexts: ${(config?.contexts ?? [])
        .map((c: any) => c?.name)
        .join(', ')})`,
    );
  const cluster = config.clusters?.find(
    (c: any) => c?.name === context.cluster,
  )?.cluster;
  const user = config.users?.find((u: any) => u?.name === context.user)?.user;
  if (!cluster?.server || !user?.token)
    throw new Error(`context ${name} of ${file} has no server or token`);
  const caData = cluster['certificate-authority-data'];
  return {
    server: cluster.server,
    token: user.token,
    ...(caData ? { ca: Buffer.from(caData, 'base64') } : {}),
  };
}

function post(
  url: URL,
  token: string,
  body: string,
  ca?: Buffer,
): Promise<{ status: number; text: string }> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolvePost, reject) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        ...(ca ? { ca } : {}),
      },
      res => {
        let text = '';
        res.on('data', d => (text += d));
        res.on('end', () => resolvePost({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function change(ctx: CliContext, args: string[]): Promise<void> {
  const parsed = parseChangeArgs(args);
  if (!parsed.cluster) throw new Error('--cluster is required');
  const [op, ...rest] = parsed.words;
  if (!op || !(op in CHANGE_USAGE))
    throw new Error(
      `name a change: ${Object.keys(CHANGE_USAGE).join(', ')}\n\n${USAGE}`,
    );
  const file = resolve(
    ctx.cwd,
    parsed.kubeconfig ?? 'kubeconfig.kube-sim.local.yaml',
  );
  const target = await contextOf(file, parsed.cluster);
  const body =
    op === 'apply'
      ? {
          op,
          args: [],
          objects: objectsOfFile(
            await fs.readFile(resolve(ctx.cwd, rest[0] ?? ''), 'utf8'),
          ),
        }
      : { op, args: rest };
  const answer = await post(
    new URL('/_sim/change', target.server),
    target.token,
    JSON.stringify(body),
    target.ca,
  );
  let parsedAnswer: any;
  try {
    parsedAnswer = JSON.parse(answer.text);
  } catch {
    parsedAnswer = undefined;
  }
  if (answer.status !== 200)
    throw new Error(
      `${parsed.cluster}: ${answer.status} ${
        parsedAnswer?.message ?? answer.text.slice(0, 300)
      }`,
    );
  for (const c of parsedAnswer.changed ?? [])
    console.log(
      `${parsed.cluster}: ${c.action} ${c.kind} ${
        c.namespace ? `${c.namespace}/` : ''
      }${c.name} (resourceVersion ${c.resourceVersion})`,
    );
}

export async function main(argv: string[], ctx: CliContext): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') await serve(ctx, parseFlags(rest));
    else if (command === 'generate') await generate(ctx, parseFlags(rest));
    else if (command === 'change') await change(ctx, rest);
    else if (
      !command ||
      command === 'help' ||
      command === '--help' ||
      command === '-h'
    )
      console.log(USAGE);
    else throw new Error(`unknown command: ${command}\n\n${USAGE}`);
  } catch (e) {
    console.error(`kube-sim: ${(e as Error).message}`);
    process.exit(2);
  }
}
