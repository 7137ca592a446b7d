// Two backend replicas on one PostgreSQL database and one Redis cache, reading the kube-sim demo mesh:
// one refresh per interval across both, the same snapshot from both, and a quick takeover when the replica that
// is refreshing dies mid-run. Run by scripts/production-test.sh, which starts PostgreSQL and Redis and exports
// POSTGRES_* and REDIS_* (the same variables app-config.production.yaml reads).
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import {
  appConfigFragment,
  startSimulator,
  type RunningSimulator,
} from '../../packages/kube-sim/src/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const STATE = process.env.MESH_TEST_STATE ?? '/tmp/mesh-production-test';
const STATIC_TOKEN = 'mesh-demo-static-token';
const INTERVAL_SECONDS = 5;
// serviceMesh.snapshot.takeoverAfterSeconds; MESH_TEST_TAKEOVER_AFTER_SECONDS=0 measures the scheduler alone
// (task timeout, then the scheduler's janitor, which runs once a minute).
const TAKEOVER_AFTER_SECONDS = Number(
  process.env.MESH_TEST_TAKEOVER_AFTER_SECONDS ?? 3,
);
const TASK_TIMEOUT_SECONDS = 60; // max(60, 3 × clusterTimeoutSeconds)
// What a takeover takes without load: the heartbeat threshold, then the survivor's next check of the task (≤ 1
// interval). Reported, not asserted; the waits below allow 30 s more (a loaded machine), still well short of the
// scheduler's own release (task timeout, then its janitor: ≥ 2 minutes), which is what a broken takeover falls back to.
const TAKEOVER_EXPECTED_SECONDS =
  TAKEOVER_AFTER_SECONDS > 0
    ? TAKEOVER_AFTER_SECONDS + INTERVAL_SECONDS + 2
    : TASK_TIMEOUT_SECONDS + 60 + INTERVAL_SECONDS + 2;
const TAKEOVER_DEADLINE_MS = (TAKEOVER_EXPECTED_SECONDS + 30) * 1000;
// A stale scheduler lock would hold the task until its timeout: waits for the next run stay below it.
const NEXT_RUN_DEADLINE_MS = (TASK_TIMEOUT_SECONDS - 15) * 1000;
const SLOW_REQUEST_MS = 4000;
const env = (name: string) => {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run scripts/production-test.sh`);
  return value;
};

interface Replica {
  name: string;
  port: number;
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
}

const measurements: Record<string, unknown> = {};
let sim: RunningSimulator;
let db: pg.Client;
const replicas: Replica[] = [];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

function startReplica(name: string, port: number): Replica {
  const dir = join(STATE, 'replicas');
  mkdirSync(dir, { recursive: true });
  const fragment = {
    app: { baseUrl: `http://localhost:${port}` },
    backend: {
      baseUrl: `http://localhost:${port}`,
      listen: { port },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: STATIC_TOKEN, subject: 'mesh-production-test' },
          },
        ],
      },
    },
    ...appConfigFragment(sim),
    serviceMesh: {
      ...(appConfigFragment(sim) as { serviceMesh?: object }).serviceMesh,
      refreshIntervalSeconds: INTERVAL_SECONDS,
      clusterTimeoutSeconds: 15,
      snapshot: {
        pollIntervalSeconds: 1,
        takeoverAfterSeconds: TAKEOVER_AFTER_SECONDS,
      },
    },
  };
  const config = join(dir, `${name}.yaml`);
  // JSON is YAML.
  writeFileSync(config, JSON.stringify(fragment, null, 2));
  const log = join(dir, `${name}.log`);
  const out = openSync(log, 'w');
  const require = createRequire(import.meta.url);
  // The backend from its sources, as `backstage-cli package start` runs it (swc transform, no watcher): the
  // process is the backend itself, so SIGKILL kills the replica and nothing else.
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      join(ROOT, 'app-config.yaml'),
      '--config',
      join(ROOT, 'app-config.production.yaml'),
      '--config',
      config,
    ],
    {
      cwd: join(ROOT, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        BACKSTAGE_BASE_URL: `http://localhost:${port}`,
      },
      stdio: ['ignore', out, out],
    },
  );
  const exited = new Promise<number | null>(r =>
    child.once('exit', code => r(code)),
  );
  return { name, port, child, log, exited };
}

function tail(replica: Replica, lines = 40): string {
  try {
    return readFileSync(replica.log, 'utf8')
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '';
  }
}

async function get(replica: Replica, path: string): Promise<Response> {
  return fetch(`http://localhost:${replica.port}/api/service-mesh${path}`, {
    headers: { Authorization: `Bearer ${STATIC_TOKEN}` },
    signal: AbortSignal.timeout(30_000),
  });
}

interface Manifest {
  sequence: number;
  generation: string;
  generated_at: string;
  written_by: string;
}
async function manifest(): Promise<Manifest | undefined> {
  const { rows } = await db.query(
    'select sequence, generation, generated_at, written_by from service_mesh_snapshot_manifest',
  );
  return rows[0];
}
interface Lease {
  run_id: string;
  owner: string;
  beat: number;
  finished: boolean;
  reaped_by: string | null;
}
async function lease(): Promise<Lease | undefined> {
  const { rows } = await db.query(
    'select run_id, owner, beat, finished, reaped_by from service_mesh_refresh_lease',
  );
  return rows[0];
}
async function taskRow(): Promise<{
  settings_json: string;
  current_run_ticket: string | null;
  last_run_error_json: string | null;
}> {
  const { rows } = await db.query(
    `select settings_json, current_run_ticket, last_run_error_json from backstage_backend_tasks__tasks where id = 'service-mesh:refresh-snapshot'`,
  );
  return rows[0];
}
const pidOf = (owner: string) => Number(owner.split(':').pop());
const replicaOf = (owner: string) =>
  replicas.find(r => r.child.pid === pidOf(owner));

/** Waits for the next publication after `after` and returns it (polled every 50 ms). */
async function nextPublication(
  after: number,
  timeoutMs = 60_000,
): Promise<Manifest> {
  return waitFor(
    `a snapshot newer than #${after}`,
    async () => {
      const m = await manifest();
      return m && m.sequence > after ? m : undefined;
    },
    timeoutMs,
    50,
  );
}

function report(t: TestContext, key: string, value: unknown) {
  measurements[key] = value;
  t.diagnostic(
    `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
}

before(async () => {
  sim = await startSimulator({
    scenarioDir: join(ROOT, 'packages/kube-sim/scenarios/demo'),
    host: '127.0.0.1',
    port: 0,
  });
  const [a, b] = [await freePort(), await freePort()];
  const started = Date.now();
  replicas.push(startReplica('replica-a', a));
  // The second replica starts once the first has created the plugin databases.
  await waitFor(
    'replica-a to answer',
    async () => (await get(replicas[0], '/health')).ok,
    240_000,
    250,
  ).catch(e => {
    throw new Error(`${e.message}\n${tail(replicas[0])}`);
  });
  replicas.push(startReplica('replica-b', b));
  await waitFor(
    'replica-b to answer',
    async () => (await get(replicas[1], '/health')).ok,
    240_000,
    250,
  ).catch(e => {
    throw new Error(`${e.message}\n${tail(replicas[1])}`);
  });
  measurements.startupSeconds = (Date.now() - started) / 1000;
  db = new pg.Client({
    host: env('POSTGRES_HOST'),
    port: Number(env('POSTGRES_PORT')),
    user: env('POSTGRES_USER'),
    password: env('POSTGRES_PASSWORD'),
    database: 'backstage_plugin_service-mesh',
  });
  db.on('error', () => {}); // the database-loss test stops the server under it
  await db.connect();
});

after(async () => {
  for (const r of replicas) {
    if (r.child.exitCode === null && r.child.signalCode === null)
      r.child.kill('SIGTERM');
  }
  await Promise.race([Promise.all(replicas.map(r => r.exited)), sleep(10_000)]);
  for (const r of replicas) {
    if (r.child.exitCode === null && r.child.signalCode === null)
      r.child.kill('SIGKILL');
  }
  await db?.end().catch(() => {});
  await sim?.stop();
  const file = join(STATE, 'results', 'production-measurements.json');
  mkdirSync(join(STATE, 'results'), { recursive: true });
  writeFileSync(file, JSON.stringify(measurements, null, 2));
  console.log(`measurements: ${JSON.stringify(measurements)}`);
});

test('both replicas are up with the production configuration, on one PostgreSQL', async t => {
  report(t, 'startupSeconds', measurements.startupSeconds);
  const { rows } = await db.query('select version()');
  assert.match(rows[0].version, /PostgreSQL/);
  // Both replicas hold connections to the plugin's database (they poll its manifest row every second).
  const { rows: connections } = await db.query(
    `select count(*)::int as n from pg_stat_activity where datname = 'backstage_plugin_service-mesh' and pid <> pg_backend_pid()`,
  );
  report(t, 'pluginDatabaseConnections', connections[0].n);
  assert.ok(
    connections[0].n >= 2,
    `expected connections from both replicas, got ${connections[0].n}`,
  );
  // Redis is Backstage's cache for every plugin (backend.cache); no plugin of this backend uses the cache service
  // (the mesh snapshot is in the database), so the count of Backstage clients is informational.
  const info = execFileSync(
    'redis-cli',
    ['-h', env('REDIS_HOST'), '-p', env('REDIS_PORT'), 'info', 'clients'],
    {
      env: { ...process.env, REDISCLI_AUTH: env('REDIS_PASSWORD') },
    },
  ).toString();
  report(
    t,
    'redisClientsBesidesThisCheck',
    Number(/connected_clients:(\d+)/.exec(info)?.[1]) - 1,
  );
});

test('both replicas serve the same snapshot: identical /overview', async t => {
  const published = await waitFor('a published snapshot', manifest, 30_000);
  // Each replica polls the manifest every second: wait until both answer from the same generation.
  let seen: unknown[] = [];
  const [bodyA, bodyB] = await waitFor(
    'both replicas to serve the same generation',
    async () => {
      const answers = await Promise.all(replicas.map(r => get(r, '/overview')));
      const bodies = await Promise.all(answers.map(a => a.json()));
      seen = answers.map((a, i) => `${a.status} ${bodies[i].generatedAt}`);
      return (
        answers.every(a => a.status === 200) &&
        bodies[0].generatedAt === bodies[1].generatedAt &&
        bodies
      );
    },
    60_000,
    250,
  ).catch(e => {
    throw new Error(`${e.message}; last answers: ${JSON.stringify(seen)}`);
  });
  assert.deepEqual(bodyA, bodyB);
  assert.deepEqual(
    bodyA.clusters.map((c: { name: string; status: string }) => [
      c.name,
      c.status,
    ]),
    [
      ['global', 'ok'],
      ['cluster1', 'ok'],
      ['cluster2', 'ok'],
      ['cluster3', 'ok'],
    ],
  );
  assert.ok(bodyA.generatedAt >= published.generated_at);
  report(t, 'overviewBytes', JSON.stringify(bodyA).length);
});

test('one refresh per interval across both replicas, counted in kube-sim', async t => {
  // One refresh alone: the API requests one refresh makes.
  const start = await nextPublication((await manifest())!.sequence);
  sim.resetRequestCounts();
  const one = await nextPublication(start.sequence);
  const perRefresh = sim.requestCount();
  assert.ok(perRefresh > 0);
  report(t, 'requestsPerRefresh', perRefresh);

  const N = 4;
  sim.resetRequestCounts();
  const windowStart = Date.now();
  const writers: string[] = [];
  let last = one;
  for (let i = 0; i < N; i++) {
    last = await nextPublication(last.sequence);
    writers.push(replicaOf(last.written_by)?.name ?? last.written_by);
  }
  const requests = sim.requestCount();
  const seconds = (Date.now() - windowStart) / 1000;
  report(t, 'refreshWindow', {
    refreshes: last.sequence - one.sequence,
    seconds,
    requests,
    expected: N * perRefresh,
    writers,
  });
  // Every publication is one refresh (sequence + 1), and the clusters saw N refreshes' worth of requests: not 2N.
  assert.equal(last.sequence - one.sequence, N);
  assert.equal(requests, N * perRefresh);
  // One schedule for both replicas, not one per replica: a single global task in the shared database (a local
  // task has no row), at the interval. How long the N refreshes took is reported above, not asserted.
  const task = await taskRow();
  assert.ok(task, 'the refresh task is a global task in the shared database');
  assert.equal(
    JSON.parse(task.settings_json).cadence,
    `PT${INTERVAL_SECONDS}S`,
  );
});

// serviceMesh.mode is watch by default: the replica that runs the refresh task watches, the other reads the
// shared store (pollIntervalSeconds 1). How long a change takes to reach each replica is reported, not asserted.
test('watch (the default): a kube-sim change reaches the other replica through the shared store', async t => {
  type Overview = {
    clusters: Array<{
      name: string;
      eastWestGateway?: { addresses?: string[] };
    }>;
  };
  const addresses = (body: Overview) =>
    body.clusters.find(c => c.name === 'cluster3')?.eastWestGateway
      ?.addresses ?? [];
  const overview = async (r: Replica) =>
    (await (await get(r, '/overview')).json()) as Overview;
  const original = addresses(await overview(replicas[0]));
  const address = '203.0.113.77';
  assert.ok(!original.includes(address));

  const changedAt = Date.now();
  sim.change('cluster3', { op: 'gateway-address', args: [address] });
  const seenMs = await Promise.all(
    replicas.map(r =>
      waitFor(
        `${r.name} to show the new gateway address`,
        async () =>
          addresses(await overview(r)).includes(address) && {
            ms: Date.now() - changedAt,
          },
        60_000,
        50,
      ),
    ),
  );
  const writer = replicaOf((await manifest())!.written_by)?.name;
  const other = replicas.findIndex(r => r.name !== writer);
  report(t, 'watchChangeToReplicaMs', {
    ...Object.fromEntries(replicas.map((r, i) => [r.name, seenMs[i].ms])),
    watchedBy: writer,
    otherReplica: seenMs[other]?.ms,
  });

  // Heal: the later tests compare the demo mesh as it was.
  sim.change('cluster3', {
    op: 'gateway-address',
    args: [original[0] ?? 'none'],
  });
  await Promise.all(
    replicas.map(r =>
      waitFor(
        `${r.name} to show the original gateway address again`,
        async () => !addresses(await overview(r)).includes(address),
        60_000,
        50,
      ),
    ),
  );
});

test('a replica killed mid-refresh: the other takes over, nothing lost, no stale lock', async t => {
  const before = (await manifest())!;
  const beforeLease = (await lease())!;
  for (const c of sim.clusters)
    await sim.setFaults(c.name, { latencyMs: SLOW_REQUEST_MS });

  // The next run: slow now (every API answer waits 4 s). Kill its replica one second into it.
  const run = await waitFor(
    'a slow refresh run to start',
    async () => {
      const l = await lease();
      return l && !l.finished && l.run_id !== beforeLease.run_id
        ? l
        : undefined;
    },
    30_000,
    50,
  );
  const victim = replicaOf(run.owner);
  assert.ok(victim, `run owner ${run.owner} is one of the replicas`);
  const survivor = replicas.find(r => r !== victim)!;
  const requestsAtStart = sim.requestCount();
  await waitFor(
    'the run to reach the clusters',
    async () => sim.requestCount() > requestsAtStart,
    30_000,
    20,
  );
  // Alive and beating when it dies, with its requests in flight (each answer takes 4 s).
  await waitFor(
    'a heartbeat of the slow run',
    async () => ((await lease())?.beat ?? 0) > run.beat,
    30_000,
    20,
  );
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  await victim.exited;
  report(
    t,
    'killed',
    `${victim.name} (pid ${victim.child.pid}) in run ${run.run_id}, after its first heartbeat`,
  );

  // No half-written snapshot is ever served: from the kill to the survivor's publication, every answer of the
  // survivor is a published generation (the victim's chunks, if it wrote any, are never named by the manifest).
  const served = new Set<string>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const res = await get(survivor, '/overview').catch(() => undefined);
      if (res?.status === 200) served.add((await res.json()).generatedAt);
      else if (res) served.add(`status ${res.status}`);
      await sleep(100);
    }
  })();

  // Nothing lost: the survivor keeps serving the last published snapshot.
  const during = await get(survivor, '/overview');
  assert.equal(during.status, 200);
  assert.equal((await during.json()).generatedAt, before.generated_at);
  assert.equal(
    (await manifest())!.sequence,
    before.sequence,
    'the killed run published nothing',
  );

  // The takeover: the survivor declares the run dead, releases its scheduler lock and runs the next refresh.
  const reaped = await waitFor(
    'the dead run to be released',
    async () => {
      const l = await lease();
      return l && (l.run_id !== run.run_id || l.reaped_by) ? l : undefined;
    },
    TAKEOVER_DEADLINE_MS,
    50,
  );
  const releasedAt = Date.now();
  if (reaped.run_id === run.run_id) {
    assert.equal(replicaOf(reaped.reaped_by!)?.name, survivor.name);
  }
  const takeover = await waitFor(
    "the survivor's run",
    async () => {
      const l = await lease();
      return l && l.run_id !== run.run_id && replicaOf(l.owner) === survivor
        ? l
        : undefined;
    },
    TAKEOVER_DEADLINE_MS,
    50,
  );
  const takeoverAt = Date.now();
  for (const c of sim.clusters) await sim.setFaults(c.name, {});
  const published = await nextPublication(before.sequence, 60_000);
  const publishedAt = Date.now();
  assert.equal(replicaOf(published.written_by), survivor);
  assert.equal(published.sequence, before.sequence + 1);
  await waitFor(
    'the survivor to serve the new snapshot',
    async () =>
      (await (await get(survivor, '/overview')).json()).generatedAt >=
      published.generated_at,
    30_000,
  );
  watching = false;
  await watcher;
  report(t, 'servedDuringTakeover', [...served]);
  for (const value of served) {
    assert.ok(
      value === before.generated_at || value >= published.generated_at,
      `served ${value}, which is neither the snapshot before the kill nor one the survivor published`,
    );
  }
  report(t, 'takeover', {
    releasedAfterSeconds: (releasedAt - killedAt) / 1000,
    survivorRunStartedAfterSeconds: (takeoverAt - killedAt) / 1000,
    newSnapshotAfterSeconds: (publishedAt - killedAt) / 1000,
    expectedSeconds: TAKEOVER_EXPECTED_SECONDS,
    takeoverAfterSeconds: TAKEOVER_AFTER_SECONDS,
    intervalSeconds: INTERVAL_SECONDS,
    slowRequestMs: SLOW_REQUEST_MS,
  });
  assert.ok(takeover.run_id);

  // No stale lock: the scheduler's task is released between runs, and refreshes continue at the interval.
  await waitFor(
    'the refresh task to be idle',
    async () => (await taskRow()).current_run_ticket === null,
    NEXT_RUN_DEADLINE_MS,
    50,
  );
  const next = await nextPublication(published.sequence, NEXT_RUN_DEADLINE_MS);
  assert.equal(replicaOf(next.written_by), survivor);
  const overview = await (await get(survivor, '/overview')).json();
  assert.deepEqual(
    overview.clusters.map((c: { status: string }) => c.status),
    ['ok', 'ok', 'ok', 'ok'],
  );
});

// ---- faults around the backend: corrupt state, the database and the cache lost, SIGTERM ----------------------

const PG_BIN = process.env.MESH_TEST_PG_BIN;
const PG_DATA = process.env.MESH_TEST_PG_DATA;
const PG_OPTS = process.env.MESH_TEST_PG_OPTS;
/** Runs a PostgreSQL tool as the postgres user (the data folder is owned by it). */
function asPostgres(command: string, args: string[]) {
  const [cmd, argv] =
    process.getuid?.() === 0
      ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
      : [command, args];
  execFileSync(cmd, argv, { stdio: 'ignore' });
}
function stopPostgres() {
  asPostgres(`${PG_BIN}/pg_ctl`, ['-D', PG_DATA!, '-m', 'fast', '-w', 'stop']);
}
function startPostgres() {
  asPostgres(`${PG_BIN}/pg_ctl`, [
    '-D',
    PG_DATA!,
    '-l',
    join(PG_DATA!, 'postgres.log'),
    '-w',
    '-t',
    '60',
    '-o',
    PG_OPTS!,
    'start',
  ]);
}
async function reconnectDb() {
  await db.end().catch(() => {});
  db = new pg.Client({
    host: env('POSTGRES_HOST'),
    port: Number(env('POSTGRES_PORT')),
    user: env('POSTGRES_USER'),
    password: env('POSTGRES_PASSWORD'),
    database: 'backstage_plugin_service-mesh',
  });
  db.on('error', () => {});
  await db.connect();
}
const redisArgs = () => [
  '--bind',
  '127.0.0.1',
  '--port',
  env('REDIS_PORT'),
  '--requirepass',
  env('REDIS_PASSWORD'),
  '--save',
  '',
  '--appendonly',
  'no',
  '--dir',
  STATE,
  '--pidfile',
  join(STATE, 'redis.pid'),
  '--logfile',
  join(STATE, 'redis.log'),
  '--daemonize',
  'yes',
];
function redisCli(...args: string[]) {
  return execFileSync(
    'redis-cli',
    ['-h', env('REDIS_HOST'), '-p', env('REDIS_PORT'), ...args],
    { env: { ...process.env, REDISCLI_AUTH: env('REDIS_PASSWORD') } },
  ).toString();
}
const logLines = (r: Replica, pattern: RegExp) =>
  readFileSync(r.log, 'utf8')
    .split('\n')
    .filter(l => pattern.test(l));
const live = () =>
  replicas.filter(
    r => r.child.exitCode === null && r.child.signalCode === null,
  );
async function health(r: Replica) {
  return (await get(r, '/health')).json();
}
async function post(r: Replica, path: string): Promise<Response> {
  return fetch(`http://localhost:${r.port}/api/service-mesh${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${STATIC_TOKEN}` },
    signal: AbortSignal.timeout(180_000),
  });
}
/** A request over its own connection: `sent` once it is written to the socket, `answer` with the response. */
function inflight(r: Replica, method: string, path: string) {
  let sent!: () => void;
  const written = new Promise<void>(resolve => {
    sent = resolve;
  });
  const answer = new Promise<Response>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: r.port,
        method,
        path: `/api/service-mesh${path}`,
        headers: { Authorization: `Bearer ${STATIC_TOKEN}` },
        agent: false,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve(
            new Response(Buffer.concat(chunks), { status: res.statusCode }),
          ),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('finish', () => sent());
    req.end();
  });
  return { what: `${method} ${path}`, sent: written, answer };
}

/** An answer is acceptable under a fault: 2xx, or 503 whose message names what is unavailable. */
async function judge(what: string, res: Response) {
  const text = await res.text();
  if (res.status < 300) return res.status;
  assert.equal(res.status, 503, `${what}: ${res.status} ${text.slice(0, 300)}`);
  assert.match(
    JSON.parse(text).error.message,
    /plugin database|catalog|permission backend|shutting down/,
    `${what}: ${text.slice(0, 300)}`,
  );
  return res.status;
}

test('a restarted replica joins and serves the published snapshot', async t => {
  const started = Date.now();
  const replica = startReplica('replica-c', await freePort());
  replicas.push(replica);
  await waitFor(
    'replica-c to answer',
    async () => (await get(replica, '/health')).ok,
    240_000,
    250,
  ).catch(e => {
    throw new Error(`${e.message}\n${tail(replica)}`);
  });
  report(t, 'restartSeconds', (Date.now() - started) / 1000);
  const m = (await manifest())!;
  await waitFor(
    'replica-c to serve the published snapshot',
    async () => {
      const body = await (await get(replica, '/overview')).json();
      return body.generatedAt >= m.generated_at;
    },
    30_000,
  );
  assert.equal(live().length, 2);
});

for (const kind of [
  'bad checksum',
  'truncated chunk',
  'unknown schema version',
  'manifest without its chunks',
] as const) {
  test(`corrupt state on PostgreSQL (${kind}): detected, logged once, never served, rebuilt by the next refresh`, async t => {
    const [a, b] = live();
    // Slow refreshes (every cluster times out after 15 s), so the corrupt generation stays published while both
    // replicas poll it (every second); the refresh in progress then publishes over it.
    const t0 = Date.now();
    for (const c of sim.clusters)
      await sim.setFaults(c.name, { latencyMs: 20_000 });
    await waitFor(
      'a slow refresh run',
      async () => {
        const l = await lease();
        const { rows } = await db.query(
          'select started_at_ms from service_mesh_refresh_lease',
        );
        return l && !l.finished && Number(rows[0].started_at_ms) > t0;
      },
      60_000,
      50,
    );
    const current = (await manifest())!;
    // Both replicas hold the current generation before it is replaced by a corrupt one.
    for (const r of [a, b]) {
      await waitFor(
        `${r.name} to serve generation ${current.sequence}`,
        async () =>
          (await (await get(r, '/overview')).json()).generatedAt ===
          current.generated_at,
        30_000,
      );
    }
    const servedBefore = current.generated_at;
    const generation = `corrupt-${kind.replace(/ /g, '-')}-${Date.now()}`;
    const { rows: chunks } = await db.query(
      'select seq, data from service_mesh_snapshot_chunks where generation = $1 order by seq',
      [current.generation],
    );
    let copies = chunks.map((c: { seq: number; data: Buffer }) => ({
      seq: c.seq,
      data: Buffer.from(c.data),
    }));
    if (kind === 'bad checksum') {
      const last = copies[copies.length - 1].data;
      last[last.length - 1] ^= 0xff;
    }
    if (kind === 'truncated chunk') {
      const last = copies[copies.length - 1];
      last.data = last.data.subarray(0, Math.floor(last.data.length / 2));
    }
    if (kind === 'manifest without its chunks') copies = [];
    for (const c of copies) {
      await db.query(
        'insert into service_mesh_snapshot_chunks (generation, seq, data, created_at_ms) values ($1, $2, $3, $4)',
        [generation, c.seq, c.data, Date.now()],
      );
    }
    await db.query(
      `update service_mesh_snapshot_manifest set generation = $1, previous_generation = $2, sequence = sequence + 1,
         schema_version = case when $3 then 0 else schema_version end, written_by = 'corruptor', written_at_ms = $4`,
      [
        generation,
        current.generation,
        kind === 'unknown schema version',
        Date.now(),
      ],
    );
    const corruptSequence = current.sequence + 1;
    const expected =
      kind === 'unknown schema version'
        ? /Discarding the stored mesh snapshot \(format 0/
        : new RegExp(
            `Ignoring mesh snapshot generation ${corruptSequence} written by corruptor`,
          );
    // Detected and logged by both replicas; meanwhile both serve what they had.
    const detected = async () => {
      for (const r of [a, b]) {
        await waitFor(
          `${r.name} to reject the corrupt generation`,
          async () => logLines(r, expected).length > 0,
          30_000,
          100,
        );
        const body = await (await get(r, '/overview')).json();
        assert.equal(body.generatedAt, servedBefore, `${r.name} kept its copy`);
      }
    };
    try {
      await detected();
    } finally {
      for (const c of sim.clusters) await sim.setFaults(c.name, {});
    }
    // Rebuilt: the next publication replaces it, and both replicas serve it.
    const rebuilt = await nextPublication(corruptSequence, 90_000);
    assert.notEqual(rebuilt.written_by, 'corruptor');
    for (const r of [a, b]) {
      await waitFor(
        `${r.name} to serve the rebuilt snapshot`,
        async () =>
          // The rebuilt generation or a later one (refreshes go on every interval).
          (await (await get(r, '/overview')).json()).generatedAt >=
          rebuilt.generated_at,
        30_000,
      );
      // Logged once, however often it polled the corrupt row.
      assert.equal(logLines(r, expected).length, 1, `${r.name} logged it once`);
    }
    report(t, `corrupt ${kind}`, {
      rejectedBy: [a.name, b.name],
      rebuiltAs: rebuilt.sequence,
    });
  });
}

test('PostgreSQL stopped: every route answers from memory or 503 naming the dependency; /health degraded; recovers', async t => {
  const [a, b] = live();
  const entityRefs = [
    'component:default/product-service',
    'component:default/storefront',
    'component:default/inventory',
    'component:default/payments',
  ];
  // Each replica has looked these entities up once (the lookups it can answer from during the outage).
  for (const r of [a, b])
    assert.equal(
      (await get(r, `/entity?entityRef=${entityRefs[0]}`)).status,
      200,
    );
  const before = (await manifest())!;
  stopPostgres();
  try {
    const statuses: Record<string, Record<number, number>> = {};
    const tally = (what: string, status: number) => {
      statuses[what] ??= {};
      statuses[what][status] = (statuses[what][status] ?? 0) + 1;
    };
    // Until both replicas report the store degraded and the catalog has been seen failing.
    const problems: string[] = [];
    let catalogDown = false;
    let round = 0;
    await waitFor(
      'both replicas to report the database lost',
      async () => {
        round++;
        for (const r of [a, b]) {
          for (const path of [
            '/overview',
            '/clusters',
            '/traffic/mesh',
            `/entity?entityRef=${entityRefs[0]}`,
            `/entity?entityRef=${entityRefs[round % entityRefs.length]}`,
            '/ready',
          ]) {
            const res = await get(r, path).catch(e => e as Error);
            if (res instanceof Error) {
              problems.push(`${r.name} ${path}: ${res.message}`);
              continue;
            }
            const text = await res.clone().text();
            if (
              res.status === 503 &&
              text.includes('The catalog is unavailable')
            )
              catalogDown = true;
            await judge(`${r.name} ${path}`, res).then(
              status => tally(path.split('?')[0], status),
              e => problems.push(String(e.message)),
            );
          }
        }
        const hs = await Promise.all([a, b].map(health));
        return (
          catalogDown &&
          round >= 5 &&
          hs.every(h => h.dependencies.store.status === 'degraded' && h.ready)
        );
      },
      120_000,
      200,
    );
    assert.deepEqual(
      problems,
      [],
      'every answer during the outage: 2xx or 503 naming the dependency',
    );
    // Refresh cannot be coordinated: 503 that says why, at once.
    for (const r of [a, b])
      tally(
        '/refresh',
        await judge(`${r.name} POST /refresh`, await post(r, '/refresh')),
      );
    const h = await health(a);
    report(t, 'duringDatabaseOutage', {
      rounds: round,
      statuses,
      health: h.dependencies.store,
    });
    assert.equal((await get(a, '/health')).status, 200, 'liveness stays 200');
    assert.deepEqual(
      statuses['/refresh'],
      { 503: 2 },
      'POST /refresh is refused on both replicas, not accepted (202) for a run that cannot start',
    );
    assert.equal(statuses['/overview'][200] > 0, true);
    assert.equal(
      statuses['/overview'][503] ?? 0,
      0,
      'the overview is served from memory',
    );
    for (const r of [a, b]) {
      assert.equal(
        logLines(r, /Failed to read the mesh snapshot from the plugin database/)
          .length,
        1,
        `${r.name} warned once about the database`,
      );
    }
  } finally {
    startPostgres();
  }
  await reconnectDb();
  for (const r of [a, b]) {
    await waitFor(
      `${r.name} to recover`,
      async () => {
        const hb = await health(r);
        return hb.dependencies.store.status === 'ok';
      },
      90_000,
      250,
    );
  }
  const after = await nextPublication(before.sequence, 120_000);
  for (const r of [a, b])
    assert.equal(
      (await get(r, `/entity?entityRef=${entityRefs[1]}`)).status,
      200,
    );
  report(t, 'afterDatabaseOutage', { published: after.sequence });
});

test('Redis stopped: routes keep answering, one warning per replica, caching goes on in process, also once Redis is back', async t => {
  const [a, b] = live();
  const warned = (r: Replica) =>
    logLines(r, /The redis cache is unavailable/).length;
  const back = (r: Replica) =>
    logLines(r, /The redis cache works again/).length;
  const baseline = new Map(
    [a, b].map(r => [r, { warned: warned(r), back: back(r) }]),
  );
  redisCli('shutdown', 'nosave');
  const problems: string[] = [];
  try {
    await waitFor(
      'both replicas to report the cache degraded',
      async () => {
        for (const r of [a, b]) {
          for (const path of ['/traffic/mesh', '/overview', '/clusters']) {
            const res = await get(r, path).catch(e => e as Error);
            if (res instanceof Error || res.status !== 200)
              problems.push(
                `${r.name} ${path}: ${
                  res instanceof Error ? res.message : res.status
                }`,
              );
            else await res.arrayBuffer();
          }
        }
        const hs = await Promise.all([a, b].map(health));
        return hs.every(h => h.dependencies.cache.status === 'degraded');
      },
      120_000,
      250,
    );
    assert.deepEqual(problems, [], 'every answer 200 while Redis is down');
    // Many more requests while it is down: still one warning each.
    for (let i = 0; i < 20; i++) {
      for (const r of [a, b]) {
        const res = await get(r, '/traffic/mesh');
        assert.equal(res.status, 200);
        await res.arrayBuffer();
      }
    }
    const core = Object.fromEntries(
      [a, b].map(r => [
        r.name,
        logLines(r, /Failed to create redis cache client/).length,
      ]),
    );
    report(t, 'duringRedisOutage', {
      health: (await health(a)).dependencies.cache,
      backstageCoreReconnectErrors: core,
    });
    for (const r of [a, b]) {
      assert.equal(
        warned(r) - baseline.get(r)!.warned,
        1,
        `${r.name} warned once`,
      );
    }
  } finally {
    execFileSync('redis-server', redisArgs());
  }
  // Redis is back. Backstage's cache client (@keyv/redis 4.6 under Backstage 1.55's cache manager) does not
  // always reconnect: after `shutdown` it raises an uncaught SocketClosedUnexpectedlyError and stays closed until
  // the backend restarts. The plugin keeps probing (every 10 s) and keeps caching in process meanwhile: routes go
  // on answering and nothing more is logged per request.
  const after: Record<string, unknown> = {};
  for (const r of [a, b]) {
    for (let i = 0; i < 10; i++) {
      const res = await get(r, '/traffic/mesh');
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
    assert.equal(
      warned(r) - baseline.get(r)!.warned,
      1,
      `${r.name} warned once in all`,
    );
    after[r.name] = (await health(r)).dependencies.cache.status;
  }
  report(t, 'afterRedisRestart', after);
});

test('SIGTERM during a slow refresh: in-flight requests are answered, the lease is released and the other replica refreshes without a takeover', async t => {
  const [a, b] = live();
  const beforeLease = (await lease())!;
  const before = (await manifest())!;
  for (const c of sim.clusters)
    await sim.setFaults(c.name, { latencyMs: SLOW_REQUEST_MS });
  const run = await waitFor(
    'a slow refresh run to start',
    async () => {
      const l = await lease();
      return l && !l.finished && l.run_id !== beforeLease.run_id
        ? l
        : undefined;
    },
    60_000,
    50,
  );
  const owner = replicaOf(run.owner)!;
  assert.ok(owner, `run owner ${run.owner} is one of the replicas`);
  const other = owner === a ? b : a;
  // In flight on the replica that is told to stop: a refresh waiting for the run, and reads.
  const inFlight = [
    inflight(owner, 'POST', '/refresh'),
    inflight(owner, 'GET', '/overview'),
    inflight(owner, 'GET', '/clusters'),
  ];
  await Promise.all(inFlight.map(r => r.sent)); // every request is on the wire before the signal
  owner.child.kill('SIGTERM');
  const answered = await Promise.all(
    inFlight.map(async r => {
      const res = await r.answer;
      return { what: r.what, status: await judge(`in-flight ${r.what}`, res) };
    }),
  );
  const exitCode = await owner.exited;
  report(t, 'inFlightDuringSigterm', answered);

  // Released by its owner (finished, not reaped), and the other replica runs the next refresh.
  const released = (
    await db.query(
      'select run_id, finished, reaped_by from service_mesh_refresh_lease',
    )
  ).rows[0];
  const takeover = await waitFor(
    "the other replica's run",
    async () => {
      const l = await lease();
      return l && l.run_id !== run.run_id && replicaOf(l.owner) === other
        ? l
        : undefined;
    },
    60_000,
    50,
  );
  assert.ok(
    released.run_id !== run.run_id ||
      (released.finished && released.reaped_by === null),
    `the stopped replica's run was released by it, not reaped: ${JSON.stringify(
      released,
    )}`,
  );
  assert.ok(
    logLines(owner, /Handed the mesh refresh over to the other replicas/)
      .length === 1,
    `the stopped replica handed its run over:\n${tail(owner)}`,
  );
  assert.equal(
    logLines(
      other,
      new RegExp(`Refresh run ${run.run_id} .* has not sent a heartbeat`),
    ).length,
    0,
    'no takeover was needed',
  );
  for (const c of sim.clusters) await sim.setFaults(c.name, {});
  const published = await nextPublication(before.sequence, 120_000);
  assert.equal(replicaOf(published.written_by), other);
  report(t, 'sigterm', {
    exitCode,
    takeoverRun: takeover.run_id,
    published: published.sequence,
  });
});
