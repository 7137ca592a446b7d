// Soak: the backend for an hour (by default) against kube-sim with a mesh that changes every second — an east-west
// gateway flapping, an EndpointSlice scaling, a remote secret rotated, in turn, through the Kubernetes API like any
// controller — and 20 clients reading. Every minute it records the backend's heap (after a full GC), RSS,
// event-loop delay p99, open sockets and file descriptors (test/bench/soak-probe.cjs, loaded into the backend),
// and the answers the clients got. Not part of the test command.
//
//   node test/bench/soak.mjs [--minutes 60] [--sample-seconds 60] [--clients 20] [--refresh-seconds 5]
//   yarn bench --soak  (the same, through run.mjs)
//
// Writes test/bench/results/soak.json and soak.md (the table in docs/soak.md). Loopback only; bounded in time.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateScenario } from '../../packages/kube-sim/src/index.ts';
import { startBackend } from './lib/backend.mjs';
import { request, summarize } from './lib/load.mjs';
import { BENCH_DIR, startSim } from './lib/procs.mjs';

const { values: args } = parseArgs({
  options: {
    soak: { type: 'boolean' },
    minutes: { type: 'string', default: '60' },
    'sample-seconds': { type: 'string', default: '60' },
    clients: { type: 'string', default: '20' },
    'refresh-seconds': { type: 'string', default: '5' },
    'warmup-minutes': { type: 'string' },
  },
  allowPositionals: true,
});
const MINUTES = Number(args.minutes);
const SAMPLE_SECONDS = Number(args['sample-seconds']);
const CLIENTS = Number(args.clients);
const REFRESH_SECONDS = Number(args['refresh-seconds']);
const WARMUP_MINUTES = Number(
  args['warmup-minutes'] ?? Math.min(10, Math.max(1, MINUTES / 6)),
);
const SIZE = { clusters: 4, services: 100, endpoints: 12 };

const work = join(BENCH_DIR, 'work', 'soak');
const results = join(BENCH_DIR, 'results');
mkdirSync(work, { recursive: true });
mkdirSync(results, { recursive: true });
const log = m =>
  console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${m}`);

// ---- the mesh ------------------------------------------------------------------------------------------------
const scenario = join(
  work,
  `scenario-${SIZE.clusters}x${SIZE.services}x${SIZE.endpoints}`,
);
if (!existsSync(join(scenario, 'clusters.yaml'))) {
  log(`generating ${JSON.stringify(SIZE)}`);
  await generateScenario({ ...SIZE, out: scenario });
}
const sim = await startSim(scenario, { heapMb: 2048 });
const clusters = await sim.rpc('clusters');
const fragment = await sim.rpc('fragment');
const members = clusters.filter(
  c => c.name !== fragment.serviceMesh?.managementCluster,
);

async function kube(cluster, method, path, body) {
  const res = await fetch(`${cluster.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${cluster.token}`,
      ...(body ? { 'Content-Type': 'application/merge-patch+json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** What each change touches, found through the API (as a controller would). */
const targets = [];
for (const cluster of members) {
  const deployments = await kube(
    cluster,
    'GET',
    '/apis/apps/v1/namespaces/istio-system/deployments',
  );
  const gateway = deployments.items.find(d => /eastwest/.test(d.metadata.name));
  const secrets = await kube(
    cluster,
    'GET',
    '/api/v1/namespaces/istio-system/secrets?labelSelector=istio%2FmultiCluster%3Dtrue',
  );
  const slices = await kube(
    cluster,
    'GET',
    '/apis/discovery.k8s.io/v1/endpointslices?limit=200',
  );
  targets.push({
    cluster,
    gateway,
    secrets: secrets.items.map(s => s.metadata.name),
    slices: slices.items.map(s => ({
      namespace: s.metadata.namespace,
      name: s.metadata.name,
      endpoints: s.endpoints ?? [],
    })),
  });
}
log(
  `${members.length} member clusters; per cluster: 1 east-west gateway, ${targets[0].secrets.length} remote secrets, ${targets[0].slices.length} EndpointSlices`,
);

const changes = {
  gateway: 0,
  endpoints: 0,
  secret: 0,
  failed: 0,
  lastError: '',
};
let tick = 0;
async function change() {
  const i = tick++;
  const t = targets[i % targets.length];
  const kind = ['gateway', 'endpoints', 'secret'][
    Math.floor(i / targets.length) % 3
  ];
  try {
    if (kind === 'gateway' && t.gateway) {
      // Flapping: every other flap of this gateway has no ready replica.
      const desired = t.gateway.spec?.replicas ?? 1;
      const ready = (t.flaps = (t.flaps ?? 0) + 1) % 2 ? 0 : desired;
      await kube(
        t.cluster,
        'PATCH',
        `/apis/apps/v1/namespaces/istio-system/deployments/${t.gateway.metadata.name}/status`,
        {
          status: {
            readyReplicas: ready,
            availableReplicas: ready,
            replicas: desired,
          },
        },
      );
    } else if (kind === 'endpoints' && t.slices.length) {
      // Scaling: a slice keeps 1..all of its endpoints, some not ready.
      const s = t.slices[i % t.slices.length];
      const keep = 1 + (i % Math.max(1, s.endpoints.length));
      const endpoints = s.endpoints.slice(0, keep).map((e, j) => ({
        ...e,
        conditions: { ...(e.conditions ?? {}), ready: (i + j) % 4 !== 0 },
      }));
      await kube(
        t.cluster,
        'PATCH',
        `/apis/discovery.k8s.io/v1/namespaces/${s.namespace}/endpointslices/${s.name}`,
        { endpoints },
      );
    } else if (kind === 'secret' && t.secrets.length) {
      // Rotation: new data (never read by the plugin: metadata only) and a rotation annotation.
      const name = t.secrets[i % t.secrets.length];
      await kube(
        t.cluster,
        'PATCH',
        `/api/v1/namespaces/istio-system/secrets/${name}`,
        {
          metadata: {
            annotations: {
              'soak.example.com/rotated-at': new Date().toISOString(),
            },
          },
          data: { rotated: Buffer.from(String(i)).toString('base64') },
        },
      );
    } else return;
    changes[kind]++;
  } catch (e) {
    changes.failed++;
    changes.lastError = String(e.message ?? e);
  }
}

// ---- the backend ---------------------------------------------------------------------------------------------
const probeOut = join(work, 'probe.ndjson');
writeFileSync(probeOut, '');
process.env.BENCH_BACKEND_NODE_ARGS = `--expose-gc --require ${join(
  BENCH_DIR,
  'soak-probe.cjs',
)}`;
process.env.SOAK_PROBE_OUT = probeOut;
process.env.SOAK_PROBE_SECONDS = String(SAMPLE_SECONDS);
const names = Array.from(
  { length: SIZE.services },
  (_, i) => `svc-${String(i + 1).padStart(4, '0')}`,
);
log('starting the backend');
const backend = await startBackend({
  workDir: work,
  fragment,
  entityNames: names.slice(0, 20),
  serviceMesh: {
    refreshIntervalSeconds: REFRESH_SECONDS,
    clusterTimeoutSeconds: 10,
  },
  heapMb: 2048,
});
log(
  `backend up on ${backend.baseUrl} (pid ${backend.pid}) in ${backend.startupMs} ms`,
);

// ---- the readers ---------------------------------------------------------------------------------------------
const routes = [
  () => '/api/service-mesh/overview',
  () => '/api/service-mesh/clusters',
  i => `/api/service-mesh/entity?entityRef=component:default/${names[i % 20]}`,
  () => '/api/service-mesh/traffic/mesh',
  () => '/api/service-mesh/health',
];
const reads = { byStatus: {}, errors: 0, lastError: '', latencies: [] };
const snapshotsSeen = new Set();
let stopping = false;
async function reader(id) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = id; !stopping; i += CLIENTS) {
    const started = performance.now();
    try {
      const res = await request(agent, {
        url: `${backend.baseUrl}${routes[i % routes.length](i)}`,
        headers: backend.auth,
      });
      reads.byStatus[res.status] = (reads.byStatus[res.status] ?? 0) + 1;
      // The mesh's changes reach the readers: count the snapshots they were served.
      if (res.status === 200 && i % routes.length === 0) {
        const generatedAt = JSON.parse(res.text).generatedAt;
        if (generatedAt) snapshotsSeen.add(generatedAt);
      }
      reads.latencies.push(res.ms);
    } catch (e) {
      reads.errors++;
      reads.lastError = String(e.message ?? e);
    }
    // One request a second per client.
    const wait = 1000 - (performance.now() - started);
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
  }
  agent.destroy();
}

// ---- the run -------------------------------------------------------------------------------------------------
const started = Date.now();
const deadline = started + MINUTES * 60_000;
const changer = setInterval(change, 1000);
const readersDone = Promise.all(
  Array.from({ length: CLIENTS }, (_, i) => reader(i)),
);
const rows = [];
let seen = 0;
let lastReads = 0;
const kubeRequests = async () =>
  Object.values(await sim.rpc('stats')).reduce((n, s) => n + s.requests, 0);

async function sampleRow() {
  const lines = readFileSync(probeOut, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean);
  const fresh = lines.slice(seen);
  if (fresh.length === 0) return;
  seen = lines.length;
  const latencies = reads.latencies.splice(0);
  const total = Object.values(reads.byStatus).reduce((a, b) => a + b, 0);
  for (const line of fresh) {
    const p = JSON.parse(line);
    const row = {
      minute: Math.round(p.uptimeSeconds / 60),
      ...p,
      reads: total - lastReads,
      readP99Ms: +summarize(latencies).p99.toFixed(1),
      status5xx: Object.entries(reads.byStatus)
        .filter(([s]) => Number(s) >= 500)
        .reduce((n, [, c]) => n + c, 0),
      clientErrors: reads.errors,
      changes: changes.gateway + changes.endpoints + changes.secret,
      snapshotsServed: snapshotsSeen.size,
      kubeRequests: await kubeRequests(),
    };
    lastReads = total;
    rows.push(row);
    log(
      `min ${row.minute}: heap ${row.heapUsedMb} MB, rss ${row.rssMb} MB, lag p99 ${row.lagP99Ms} ms, sockets ${row.sockets}, fds ${row.fds}, reads ${row.reads} (p99 ${row.readP99Ms} ms, 5xx ${row.status5xx}), changes ${row.changes}`,
    );
  }
}

const sampler = setInterval(
  () => sampleRow().catch(e => log(`sample failed: ${e}`)),
  5000,
);
while (Date.now() < deadline) {
  await new Promise(r => setTimeout(r, Math.min(5000, deadline - Date.now())));
  if (backend.output().includes('FATAL')) break;
}
stopping = true;
clearInterval(changer);
clearInterval(sampler);
await readersDone;
await sampleRow();
const overview = await backend.call('GET', '/api/service-mesh/overview');
await backend.stop();
await sim.stop();

// ---- the verdict ---------------------------------------------------------------------------------------------
function slopePerHour(points) {
  // least squares of value over minutes → per hour
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}
const after = rows.filter(r => r.minute >= WARMUP_MINUTES);
const range = key => {
  const v = after.map(r => r[key]);
  return v.length
    ? { min: Math.min(...v), max: Math.max(...v) }
    : { min: NaN, max: NaN };
};
const summary = {
  startedAt: new Date(started).toISOString(),
  minutes: MINUTES,
  warmupMinutes: WARMUP_MINUTES,
  size: SIZE,
  clients: CLIENTS,
  refreshSeconds: REFRESH_SECONDS,
  changes,
  reads: {
    byStatus: reads.byStatus,
    errors: reads.errors,
    lastError: reads.lastError,
  },
  finalOverviewStatus: overview.status,
  snapshotsServed: snapshotsSeen.size,
  afterWarmup: {
    heapUsedMb: range('heapUsedMb'),
    heapSlopeMbPerHour: +slopePerHour(
      after.map(r => [r.minute, r.heapUsedMb]),
    ).toFixed(2),
    rssMb: range('rssMb'),
    rssSlopeMbPerHour: +slopePerHour(
      after.map(r => [r.minute, r.rssMb]),
    ).toFixed(2),
    sockets: range('sockets'),
    fds: range('fds'),
    lagP99Ms: range('lagP99Ms'),
  },
  machine: {
    loadavg: (await import('node:os')).loadavg(),
    cpus: (await import('node:os')).cpus().length,
  },
  rows,
};
writeFileSync(join(results, 'soak.json'), JSON.stringify(summary, null, 2));
const md = [
  `| minute | heap MB (after GC) | RSS MB | event-loop p99 ms | sockets | fds | reads | read p99 ms | 5xx (total) | changes (total) |`,
  `|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ...rows.map(
    r =>
      `| ${r.minute} | ${r.heapUsedMb} | ${r.rssMb} | ${r.lagP99Ms} | ${r.sockets} | ${r.fds} | ${r.reads} | ${r.readP99Ms} | ${r.status5xx} | ${r.changes} |`,
  ),
].join('\n');
writeFileSync(join(results, 'soak.md'), `${md}\n`);
console.log(md);
console.log(JSON.stringify({ ...summary, rows: undefined }, null, 2));
const fivexx = Object.entries(reads.byStatus)
  .filter(([s]) => Number(s) >= 500)
  .reduce((n, [, c]) => n + c, 0);
process.exit(fivexx > 0 || reads.errors > 0 ? 1 : 0);
