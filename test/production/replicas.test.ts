// Two backend replicas on one PostgreSQL database and one Redis cache, reading the kube-sim demo mesh:
// one refresh per interval across both, the same snapshot from both, and a quick takeover when the replica that
// is refreshing dies mid-run. Run by scripts/production-test.sh, which starts PostgreSQL and Redis and exports
// POSTGRES_* and REDIS_* (the same variables app-config.production.yaml reads).
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
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
const TAKEOVER_LIMIT_SECONDS =
  TAKEOVER_AFTER_SECONDS > 0
    ? TAKEOVER_AFTER_SECONDS + INTERVAL_SECONDS + 2
    : TASK_TIMEOUT_SECONDS + 60 + INTERVAL_SECONDS + 2;
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
    signal: AbortSignal.timeout(10_000),
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
  current_run_ticket: string | null;
  last_run_error_json: string | null;
}> {
  const { rows } = await db.query(
    `select current_run_ticket, last_run_error_json from backstage_backend_tasks__tasks where id = 'service-mesh:refresh-snapshot'`,
  );
  return rows[0];
}
const pidOf = (owner: string) => Number(owner.split(':').pop());
const replicaOf = (owner: string) =>
  replicas.find(r => r.child.pid === pidOf(owner));

/** Waits for the next publication after `after` and returns it (polled every 50 ms). */
async function nextPublication(
  after: number,
  timeoutMs = 30_000,
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
  for (let attempt = 1; ; attempt++) {
    const [a, b] = await Promise.all(replicas.map(r => get(r, '/overview')));
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const [bodyA, bodyB] = [await a.json(), await b.json()];
    if (bodyA.generatedAt === bodyB.generatedAt || attempt === 20) {
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
      break;
    }
    await sleep(250); // One replica had not looked at the new generation yet (polled every second).
  }
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
  // N refreshes took about N intervals: one replica per interval, not one per replica.
  assert.ok(
    seconds >= (N - 1) * INTERVAL_SECONDS,
    `${N} refreshes in ${seconds}s`,
  );
});

test('a replica killed mid-refresh: the other takes over within an interval, nothing lost, no stale lock', async t => {
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
    5000,
    20,
  );
  await sleep(1000);
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  await victim.exited;
  report(
    t,
    'killed',
    `${victim.name} (pid ${victim.child.pid}) in run ${run.run_id}, 1 s into the refresh`,
  );

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
    (TAKEOVER_LIMIT_SECONDS + 30) * 1000,
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
    (TAKEOVER_LIMIT_SECONDS + 30) * 1000,
    50,
  );
  const takeoverAt = Date.now();
  for (const c of sim.clusters) await sim.setFaults(c.name, {});
  const published = await nextPublication(before.sequence, 60_000);
  const publishedAt = Date.now();
  assert.equal(replicaOf(published.written_by), survivor);
  assert.equal(published.sequence, before.sequence + 1);
  report(t, 'takeover', {
    releasedAfterSeconds: (releasedAt - killedAt) / 1000,
    survivorRunStartedAfterSeconds: (takeoverAt - killedAt) / 1000,
    newSnapshotAfterSeconds: (publishedAt - killedAt) / 1000,
    takeoverAfterSeconds: TAKEOVER_AFTER_SECONDS,
    intervalSeconds: INTERVAL_SECONDS,
    slowRequestMs: SLOW_REQUEST_MS,
  });
  assert.ok(takeover.run_id);
  // Released after the heartbeat threshold; picked up by the survivor's next check of the task (≤ 1 interval).
  assert.ok(
    (takeoverAt - killedAt) / 1000 <= TAKEOVER_LIMIT_SECONDS,
    `took over after ${(takeoverAt - killedAt) / 1000}s`,
  );

  // No stale lock: the scheduler's task is released between runs, and refreshes continue at the interval.
  await waitFor(
    'the refresh task to be idle',
    async () => (await taskRow()).current_run_ticket === null,
    15_000,
    50,
  );
  const next = await nextPublication(
    published.sequence,
    3 * INTERVAL_SECONDS * 1000,
  );
  assert.equal(replicaOf(next.written_by), survivor);
  const overview = await (await get(survivor, '/overview')).json();
  assert.deepEqual(
    overview.clusters.map((c: { status: string }) => c.status),
    ['ok', 'ok', 'ok', 'ok'],
  );
});
