#!/usr/bin/env node
// The performance benchmark of the service-mesh backend (`yarn bench`; `yarn bench --smoke` for a short run).
//
// In one run, side by side, against scenarios made with `kube-sim generate`:
//   entity     GET /api/service-mesh/entity vs the Kubernetes backend's POST /api/kubernetes/services/<name>
//              (the Kubernetes tab's call), p50/p95/p99 under 20 concurrent clients, one backend with both plugins;
//   load       API requests per cluster per refresh, and during page views between refreshes;
//   isolation  one cluster at 30 s latency: /overview p95 and the refresh of the others;
//   watch      serviceMesh.mode watch vs poll: time from a change in kube-sim to /overview showing it (p50/p95),
//              and API requests and bytes per hour in steady state (watch) vs one refresh per 30 s (poll);
//   refresh    full snapshot refresh in-process vs the floor (the same paginated lists with client-node, results
//              dropped), and snapshot heap vs the raw JSON listed, at 1/5/20/50 clusters × 10k/50k/200k endpoints.
// Writes test/bench/results/{results.json,results.md,growth.svg} (smoke: test/bench/work/smoke/), updates the table
// in docs/bench.md (full runs), prints the table and a closing "N passed, N failed" line; exits 1 on a failure.
//
// The smoke run is part of the test command (scripts/test-all.sh), so it judges only what cannot depend on the
// machine's speed: the run completes, the counts hold (API requests per refresh = pages of the lists, the same for
// 10 and 50 services; 0 API requests during page views; every cluster read; the slow cluster marked unreachable
// and the others ok). Its timings and memory ratios are printed, never judged: the targets are the full run's.
//
// Options: --soak (the soak instead: see soak.mjs)  --smoke  --only entity,isolation,growth,watch  --out DIR  --junit FILE  --keep-scenarios (default: reused)  --growth 50x10000,… (only these growth points)
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import prettier from 'prettier';
import { closedLoop, median, summarize } from './lib/load.mjs';
import { startBackend } from './lib/backend.mjs';
import { BENCH_DIR, ROOT, run, startSim, startWorker } from './lib/procs.mjs';
import { renderChart, colorOf } from './lib/chart.mjs';

if (!process.features.typescript) {
  console.error(
    `yarn bench needs Node.js 24 (or 22.18+) for TypeScript type stripping; this is ${process.version}`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const flag = name => args.includes(`--${name}`);
const option = name => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SMOKE = flag('smoke');
// The hour-long soak (test/bench/soak.mjs, docs/soak.md): it exits when done.
if (flag('soak')) await import('./soak.mjs');
const ONLY = option('only')?.split(',');
const wants = section => !ONLY || ONLY.includes(section);
const OUT = option('out') ?? join(BENCH_DIR, SMOKE ? 'work/smoke' : 'results');
const WORK = join(BENCH_DIR, 'work');
mkdirSync(OUT, { recursive: true });
mkdirSync(WORK, { recursive: true });

const PLAN = SMOKE
  ? {
      main: { clusters: 3, services: 50, endpoints: 4 },
      // two service counts per size: API requests per refresh must not depend on them
      growth: { clusters: [1, 3], totals: [200, 1000], services: [10, 50] },
      concurrency: 20,
      ours: { warmup: 50, requests: 400 },
      peer: { warmup: 10, requests: 60 },
      pageViews: 400,
      // generous for a loaded machine: the other clusters' reads must finish within it, the slow one's (30 s) not
      timeoutSeconds: 10,
      slowLatencyMs: 30_000,
      isolationRounds: 1,
      reps: 1,
      watch: {
        changes: 5,
        steadyMs: 10_000,
        storm: { warmup: 50, requests: 200, minMs: 5_000 },
      },
    }
  : {
      main: { clusters: 20, services: 500, endpoints: 20 },
      growth: {
        clusters: [1, 5, 20, 50],
        totals: [10_000, 50_000, 200_000],
        services: 500,
      },
      concurrency: 20,
      ours: { warmup: 300, requests: 3000 },
      peer: { warmup: 20, requests: 200 },
      pageViews: 1000,
      timeoutSeconds: 10,
      slowLatencyMs: 30_000,
      isolationRounds: 4,
      reps: 3,
      watch: {
        changes: 30,
        steadyMs: 120_000,
        storm: { warmup: 300, requests: 1000, minMs: 60_000 },
      },
    };

// The full run's targets. The smoke run prints the same figures next to them without judging (see the top).
const T = {
  entityP95Ms: 50,
  speedup: 10,
  refreshRatio: 1.5,
  memRatio: 0.5,
  overviewP95Change: 0.1,
  watchChangeP95Ms: 2000,
  watchBytesRatio: 0.01,
  // entity p95 during a storm of endpoint changes vs without: "unchanged within noise", taken as ≤ 1.5× quiet
  stormP95Ratio: 1.5,
  stormChangesPerSecond: 1000,
};

const startedAt = Date.now();
const log = (...m) =>
  console.log(
    `[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)}s]`,
    ...m,
  );
const checks = [];
function check(name, target, value, pass, detail = '') {
  checks.push({ name, target, value, pass: !!pass, detail });
  log(
    `${pass ? 'PASS' : 'FAIL'} ${name}: ${value} (target ${target})${
      detail ? ` ${detail}` : ''
    }`,
  );
}
/** A timing or memory target: judged in the full run; the smoke run reports the figure (`judged: false`). */
function measured(name, target, value, pass, detail = '') {
  if (!SMOKE) {
    check(name, target, value, pass, detail);
    return;
  }
  checks.push({ name, target, value, pass: true, judged: false, detail });
  log(
    `INFO ${name}: ${value} (full-run target ${target}; not judged in the smoke run)${
      detail ? ` ${detail}` : ''
    }`,
  );
}
const fmtMs = ms =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
const fmtKB = n => `${(n / 1024).toFixed(1)} KB`;
const fmtMB = b => `${(b / 1e6).toFixed(1)} MB`;

function machine() {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism(),
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    loadavg: os.loadavg().map(l => +l.toFixed(2)),
  };
}

/** `kube-sim generate`, reused when the same generator already wrote the same scenario. */
async function scenario({ clusters, services, endpoints }) {
  const dir = join(WORK, `scenario-${clusters}x${services}x${endpoints}`);
  const src = join(ROOT, 'packages/kube-sim/src');
  const generator = [
    'generate.ts',
    ...readdirSync(join(src, 'mesh'))
      .sort()
      .map(f => join('mesh', f)),
  ].map(f => readFileSync(join(src, f), 'utf8'));
  const stamp = createHash('sha256')
    .update(generator.join('\n'))
    .digest('hex')
    .slice(0, 16);
  const marker = join(dir, '.bench-complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp) return dir;
  const started = Date.now();
  await run(process.execPath, [
    join(ROOT, 'packages/kube-sim/bin/kube-sim'),
    'generate',
    '--clusters',
    String(clusters),
    '--services',
    String(services),
    '--endpoints',
    String(endpoints),
    '--out',
    dir,
  ]);
  writeFileSync(marker, stamp);
  log(
    `generated ${clusters}×${services}×${endpoints} in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s`,
  );
  return dir;
}

const sumRequests = stats =>
  Object.values(stats).reduce((n, s) => n + s.requests, 0);
const members = clusters => clusters.filter(c => c.name !== 'global');

// ---------------------------------------------------------------------------------------------------------------
// entity, load, isolation: one backend with both plugins against the main scenario
// ---------------------------------------------------------------------------------------------------------------
async function backendSections(results) {
  const { main } = PLAN;
  const dir = await scenario(main);
  const sim = await startSim(dir);
  log(
    `simulator: ${main.clusters}+1 clusters loaded in ${sim.ready.loadMs} ms`,
  );
  const fragment = await sim.rpc('fragment');
  const clusterList = await sim.rpc('clusters');
  const width = Math.max(4, String(main.services).length);
  const names = Array.from(
    { length: Math.min(20, main.services) },
    (_, i) => `svc-${String(i + 1).padStart(width, '0')}`,
  );
  const backend = await startBackend({
    workDir: WORK,
    fragment,
    entityNames: names,
    serviceMesh: { clusterTimeoutSeconds: PLAN.timeoutSeconds },
  });
  log(
    `backend ready in ${(backend.startupMs / 1000).toFixed(
      1,
    )} s (catalog holds ${names.length} entities)`,
  );
  try {
    let r = await backend.call('POST', '/api/service-mesh/refresh?wait=true');
    if (r.status !== 200)
      throw new Error(`POST /refresh: ${r.status} ${r.text}`);

    // load: requests per cluster for one refresh through the backend
    await sim.rpc('reset');
    r = await backend.call('POST', '/api/service-mesh/refresh?wait=true');
    const perCluster = await sim.rpc('stats');
    const refreshClusters = JSON.parse(r.text).clusters;
    results.load = {
      scenario: main,
      refreshMs: r.ms,
      requestsPerCluster: Object.fromEntries(
        Object.entries(perCluster).map(([k, v]) => [k, v.requests]),
      ),
      statuses: Object.fromEntries(
        refreshClusters.map(c => [c.name, c.status]),
      ),
    };

    // entity: cold (first view of each entity after a refresh), then ours and the peer under load
    const entityUrl = i => ({
      url: `${
        backend.baseUrl
      }/api/service-mesh/entity?entityRef=component:default/${
        names[i % names.length]
      }`,
      headers: backend.auth,
    });
    const cold = [];
    for (let i = 0; i < names.length; i++) {
      const res = await closedLoop({
        concurrency: 1,
        total: 1,
        next: () => entityUrl(i),
      });
      if (res.failures.length)
        throw new Error(`entity ${names[i]}: ${res.failures[0]}`);
      cold.push(res.latencies[0]);
    }
    const sample = await backend.call(
      'GET',
      `/api/service-mesh/entity?entityRef=component:default/${names[0]}`,
    );
    const view = JSON.parse(sample.text);
    await closedLoop({
      concurrency: PLAN.concurrency,
      total: PLAN.ours.warmup,
      next: entityUrl,
    });
    await sim.rpc('reset');
    const ours = await closedLoop({
      concurrency: PLAN.concurrency,
      total: PLAN.ours.requests,
      next: entityUrl,
    });
    // page views between refreshes: the entity views above plus overview and cluster list views
    const overviews = await closedLoop({
      concurrency: PLAN.concurrency,
      total: PLAN.pageViews,
      next: i => ({
        url: `${backend.baseUrl}/api/service-mesh/${
          i % 2 ? 'overview' : 'clusters'
        }`,
        headers: backend.auth,
      }),
    });
    const duringViews = sumRequests(await sim.rpc('stats'));

    const peerUrl = i => {
      const name = names[i % names.length];
      return {
        method: 'POST',
        url: `${backend.baseUrl}/api/kubernetes/services/${name}`,
        headers: backend.auth,
        body: {
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name,
              namespace: 'default',
              annotations: { 'backstage.io/kubernetes-id': name },
            },
            spec: { type: 'service', lifecycle: 'production', owner: 'bench' },
          },
        },
      };
    };
    const peerSample = await backend.call(
      'POST',
      peerUrl(0).url.replace(backend.baseUrl, ''),
      peerUrl(0).body,
    );
    const peerView = JSON.parse(peerSample.text);
    await closedLoop({
      concurrency: PLAN.concurrency,
      total: PLAN.peer.warmup,
      next: peerUrl,
    });
    await sim.rpc('reset');
    const peer = await closedLoop({
      concurrency: PLAN.concurrency,
      total: PLAN.peer.requests,
      next: peerUrl,
    });
    const peerRequests = sumRequests(await sim.rpc('stats'));
    const strip = ({ latencies, ...rest }) => ({
      ...rest,
      rps: (rest.count / rest.wallMs) * 1000,
    });
    results.entity = {
      scenario: main,
      concurrency: PLAN.concurrency,
      ours: strip(ours),
      peer: strip(peer),
      cold: summarize(cold),
      speedupP50: peer.p50 / ours.p50,
      speedupP95: peer.p95 / ours.p95,
      oursClusters: view.clusters?.length,
      oursServices: view.clusters?.reduce((n, c) => n + c.services.length, 0),
      oursBytes: sample.text.length,
      peerClusters: peerView.items?.length,
      peerBytes: peerSample.text.length,
      peerApiRequestsPerView:
        peerRequests / Math.max(1, peer.count + peer.failures.length),
    };
    results.load.pageViews = ours.count + overviews.count;
    results.load.requestsDuringPageViews = duringViews;
    if (
      ours.failures.length ||
      peer.failures.length ||
      overviews.failures.length
    ) {
      throw new Error(
        `failed requests: ours ${ours.failures.slice(
          0,
          2,
        )}; peer ${peer.failures.slice(0, 2)}; views ${overviews.failures.slice(
          0,
          2,
        )}`,
      );
    }
    log(
      `entity: ours p50 ${fmtMs(ours.p50)} p95 ${fmtMs(ours.p95)} p99 ${fmtMs(
        ours.p99,
      )} | peer p50 ${fmtMs(peer.p50)} p95 ${fmtMs(peer.p95)} p99 ${fmtMs(
        peer.p99,
      )}`,
    );

    // isolation: /overview under load while one cluster's read hangs, against the same load with no refresh running
    const memberList = members(clusterList);
    const slow = memberList[Math.min(4, memberList.length - 1)].name;
    const expected = results.load.requestsPerCluster;
    const overviewUrl = () => ({
      url: `${backend.baseUrl}/api/service-mesh/overview`,
      headers: backend.auth,
    });
    const overviewLoad = ms =>
      closedLoop({
        concurrency: PLAN.concurrency,
        total: 1e9,
        maxMs: ms,
        next: overviewUrl,
      });
    const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
    async function hangingRound() {
      await sim.rpc('reset');
      await sim.rpc('faults', slow, { latencyMs: PLAN.slowLatencyMs });
      const postedAt = Date.now();
      const refresh = backend.call(
        'POST',
        '/api/service-mesh/refresh?wait=true',
      );
      // The refresh starts when the scheduler runs its task: the first request to a cluster marks it. The window
      // opens once every other cluster has been read (all its pages asked for, and a margin for the mapping) and
      // closes before the slow cluster's timeout.
      let startedAt;
      let othersReadAt;
      while (Date.now() - postedAt < 60_000) {
        const stats = await sim.rpc('stats');
        if (!startedAt && sumRequests(stats) > 0) startedAt = Date.now();
        const done = Object.keys(expected)
          .filter(n => n !== slow)
          .every(n => (stats[n]?.requests ?? 0) >= expected[n]);
        if (startedAt && done) {
          othersReadAt = Date.now();
          break;
        }
        await sleep(50);
      }
      if (!othersReadAt)
        throw new Error(
          `isolation: the clusters other than ${slow} were not all read within 60 s of POST /refresh`,
        );
      const opensAt = othersReadAt + 500;
      const closesAt = startedAt + PLAN.timeoutSeconds * 1000 - 500;
      await sleep(Math.max(0, opensAt - Date.now()));
      const load = await overviewLoad(Math.max(300, closesAt - Date.now()));
      const answer = await refresh;
      await sim.rpc('faults', slow, {});
      const clusters = JSON.parse(answer.text).clusters;
      return {
        p95: load.p95,
        p50: load.p50,
        count: load.count,
        windowMs: load.wallMs,
        failures: load.failures.length,
        othersReadMs: othersReadAt - startedAt,
        refreshMs: answer.ms,
        slowStatus: clusters.find(c => c.name === slow)?.status,
        othersOk: clusters
          .filter(c => c.name !== slow)
          .every(c => c.status === 'ok'),
      };
    }
    // Rounds alternate the order (hanging then quiet, quiet then hanging, …) so that drift cancels out.
    const rounds = [];
    let windowMs = PLAN.timeoutSeconds * 1000 - 2000;
    for (let i = 0; i < PLAN.isolationRounds; i++) {
      const quietFirst = i % 2 === 1;
      const early = quietFirst ? await overviewLoad(windowMs) : undefined;
      const hanging = await hangingRound();
      windowMs = hanging.windowMs;
      const quiet = early ?? (await overviewLoad(windowMs));
      const refresh = await backend.call(
        'POST',
        '/api/service-mesh/refresh?wait=true',
      );
      rounds.push({
        order: quietFirst ? 'quiet, hanging' : 'hanging, quiet',
        baseline: {
          p95: quiet.p95,
          p50: quiet.p50,
          count: quiet.count,
          windowMs: quiet.wallMs,
          refreshMs: refresh.ms,
        },
        slow: hanging,
      });
    }
    const base = median(rounds.map(x => x.baseline.p95));
    const withSlow = median(rounds.map(x => x.slow.p95));
    results.isolation = {
      scenario: main,
      slowCluster: slow,
      latencyMs: PLAN.slowLatencyMs,
      timeoutSeconds: PLAN.timeoutSeconds,
      windowMs: median(rounds.map(x => x.slow.windowMs)),
      rounds,
      overviewP95BaselineMs: base,
      overviewP95SlowMs: withSlow,
      overviewP95Change: (withSlow - base) / base,
      refreshBaselineMs: median(rounds.map(x => x.baseline.refreshMs)),
      refreshSlowMs: median(rounds.map(x => x.slow.refreshMs)),
    };
  } finally {
    await backend.stop();
    await sim.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// watch vs poll: change → /overview, API requests and bytes per hour
// ---------------------------------------------------------------------------------------------------------------
const POLL_INTERVAL_SECONDS = 30;
const totals = stats =>
  Object.values(stats).reduce(
    (t, s) => ({
      requests: t.requests + s.requests,
      bytes: t.bytes + s.bytes,
      watchBytes: t.watchBytes + (s.watchBytes ?? 0),
    }),
    { requests: 0, bytes: 0, watchBytes: 0 },
  );

async function watchSection(results) {
  const { main, watch } = PLAN;
  const dir = await scenario(main);
  const sim = await startSim(dir);
  const fragment = await sim.rpc('fragment');
  const target = members(await sim.rpc('clusters'))[0].name;
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  // A service of the scenario (generate names them svc-001…), so /entity does the work of a real entity view.
  const entityName = `svc-${'1'.padStart(
    Math.max(4, String(main.services).length),
    '0',
  )}`;
  try {
    // poll: what one refresh costs, times the refreshes of an hour at the default interval
    let backend = await startBackend({
      workDir: WORK,
      fragment,
      entityNames: ['bench-watch'],
      serviceMesh: { clusterTimeoutSeconds: PLAN.timeoutSeconds, mode: 'poll' },
      inspect: true,
    });
    let poll;
    try {
      await sim.rpc('reset');
      const r = await backend.call(
        'POST',
        '/api/service-mesh/refresh?wait=true',
      );
      if (r.status !== 200)
        throw new Error(`POST /refresh: ${r.status} ${r.text}`);
      const perRefresh = totals(await sim.rpc('stats'));
      const perHour = 3600 / POLL_INTERVAL_SECONDS;
      poll = {
        intervalSeconds: POLL_INTERVAL_SECONDS,
        requestsPerHour: perRefresh.requests * perHour,
        bytesPerHour: perRefresh.bytes * perHour,
        // the same backend and snapshot without informers: the baseline of the informer heap
        heapAfterGcBytes: await backend.heapAfterGc(),
      };
    } finally {
      await backend.stop();
    }

    // watch: steady state (bookmarks, the scheduled refresh's istiod reads), then changes one at a time
    backend = await startBackend({
      workDir: WORK,
      fragment,
      entityNames: [entityName],
      inspect: true,
      serviceMesh: {
        clusterTimeoutSeconds: PLAN.timeoutSeconds,
        mode: 'watch',
        refreshIntervalSeconds: POLL_INTERVAL_SECONDS,
      },
    });
    try {
      const overview = async () =>
        JSON.parse(
          (await backend.call('GET', '/api/service-mesh/overview')).text,
        );
      // The first refresh has listed every resource and opened the watches once /overview is ready.
      for (let i = 0; (await overview()).status === 'pending'; i++) {
        if (i > 600) throw new Error('watch: no snapshot after 60 s');
        await sleep(100);
      }
      await sim.rpc('reset');
      const steadyStart = Date.now();
      await sleep(watch.steadyMs);
      const steady = totals(await sim.rpc('stats'));
      const hours = (Date.now() - steadyStart) / 3_600_000;
      const watched = {
        steadySeconds: (Date.now() - steadyStart) / 1000,
        requestsPerHour: steady.requests / hours,
        bytesPerHour: steady.bytes / hours,
        watchBytesPerHour: steady.watchBytes / hours,
      };
      const latencies = [];
      for (let i = 0; i < watch.changes; i++) {
        const address = `198.51.100.${(i % 250) + 1}`;
        const changedAt = performance.now();
        await sim.rpc('change', target, {
          op: 'gateway-address',
          args: [address],
        });
        for (;;) {
          const body = await overview();
          const c = body.clusters.find(x => x.name === target);
          if (c?.eastWestGateway?.addresses?.includes(address)) break;
          if (performance.now() - changedAt > 60_000)
            throw new Error(
              `watch: change ${address} not on /overview in 60 s`,
            );
          await sleep(10);
        }
        latencies.push(performance.now() - changedAt);
      }
      const informerHeapBytes =
        (await backend.heapAfterGc()) - poll.heapAfterGcBytes;
      const storm = await entityDuringStorm(backend, sim, target, entityName);
      results.watch = {
        scenario: main,
        cluster: target,
        poll,
        watch: watched,
        bytesRatio: watched.bytesPerHour / poll.bytesPerHour,
        requestsRatio: watched.requestsPerHour / poll.requestsPerHour,
        changeToOverview: summarize(latencies),
        informerHeapBytes,
        storm,
      };
    } finally {
      await backend.stop();
    }
  } finally {
    await sim.stop();
  }
  const w = results.watch;
  log(
    `watch: change → /overview p50 ${fmtMs(w.changeToOverview.p50)} p95 ${fmtMs(
      w.changeToOverview.p95,
    )}; API per hour watch ${fmtMB(w.watch.bytesPerHour)} / ${Math.round(
      w.watch.requestsPerHour,
    )} requests vs poll ${fmtMB(w.poll.bytesPerHour)} / ${Math.round(
      w.poll.requestsPerHour,
    )} requests`,
  );
  measured(
    'watch: change → /overview p95',
    `≤ ${fmtMs(T.watchChangeP95Ms)}`,
    `p50 ${fmtMs(w.changeToOverview.p50)}, p95 ${fmtMs(
      w.changeToOverview.p95,
    )} (${w.changeToOverview.count} changes, ${main.clusters} clusters × ${
      main.services
    } services)`,
    w.changeToOverview.p95 <= T.watchChangeP95Ms,
  );
  measured(
    `watch: API bytes per hour vs polling every ${POLL_INTERVAL_SECONDS} s`,
    `≤ ${T.watchBytesRatio * 100} %`,
    `${(w.bytesRatio * 100).toFixed(2)} % (${fmtMB(
      w.watch.bytesPerHour,
    )} vs ${fmtMB(w.poll.bytesPerHour)}; requests ${Math.round(
      w.watch.requestsPerHour,
    )} vs ${Math.round(w.poll.requestsPerHour)} per hour)`,
    w.bytesRatio <= T.watchBytesRatio,
  );
  const st = w.storm;
  log(
    `watch: entity p95 quiet ${fmtMs(st.quiet.p95)}, during ${Math.round(
      st.changesPerSecond,
    )} endpoint changes/s ${fmtMs(st.storm.p95)}; informer heap ${fmtMB(
      w.informerHeapBytes,
    )}`,
  );
  measured(
    `watch: entity p95 during a storm of ${T.stormChangesPerSecond} endpoint changes/s vs none`,
    `≤ ${T.stormP95Ratio}× and ≥ ${T.stormChangesPerSecond}/s`,
    `${fmtMs(st.storm.p95)} vs ${fmtMs(st.quiet.p95)} (${(
      st.storm.p95 / st.quiet.p95
    ).toFixed(2)}×; ${Math.round(st.changesPerSecond)} changes/s reached, ${
      st.changes
    } in ${st.seconds.toFixed(1)} s); informer heap ${fmtMB(
      w.informerHeapBytes,
    )} (heap after GC, watch backend minus poll backend)`,
    st.storm.p95 <= T.stormP95Ratio * st.quiet.p95 &&
      st.changesPerSecond >= T.stormChangesPerSecond * 0.95,
  );
}

/**
 * /entity p95 under the entity section's load, without and then during a storm of endpoint changes in one cluster:
 * kube-sim's endpoints-flip in batches of STORM_BATCH every STORM_BATCH ms, i.e. 1,000 endpoint changes per second
 * (each batch is one change call; the watches see one MODIFIED event per EndpointSlice touched).
 */
const STORM_BATCH = 100;
async function entityDuringStorm(backend, sim, target, entityName) {
  const { storm } = PLAN.watch;
  const entityUrl = () => ({
    url: `${backend.baseUrl}/api/service-mesh/entity?entityRef=component:default/${entityName}`,
    headers: backend.auth,
  });
  // Rounds of the entity load until minMs have passed: long enough for many debounced rebuilds during the storm.
  const load = async () => {
    const latencies = [];
    const started = performance.now();
    while (performance.now() - started < storm.minMs) {
      const res = await closedLoop({
        concurrency: PLAN.concurrency,
        total: storm.requests,
        next: entityUrl,
      });
      if (res.failures.length) throw new Error(`entity: ${res.failures[0]}`);
      latencies.push(...res.latencies);
    }
    return summarize(latencies);
  };
  await closedLoop({
    concurrency: PLAN.concurrency,
    total: storm.warmup,
    next: entityUrl,
  });
  const quiet = await load();
  let running = true;
  let changes = 0;
  const started = performance.now();
  const flipping = (async () => {
    for (let n = 0; running; n++) {
      // paced on the clock, not on the previous call: a slow call is caught up by the next ones
      const due = started + n * STORM_BATCH;
      const wait = due - performance.now();
      if (wait > 0) await new Promise(r => setTimeout(r, wait));
      await sim.rpc('change', target, {
        op: 'endpoints-flip',
        args: [String(STORM_BATCH)],
      });
      changes += STORM_BATCH;
    }
  })();
  let during;
  try {
    during = await load();
  } finally {
    running = false;
    await flipping;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    quiet,
    storm: during,
    changes,
    seconds,
    changesPerSecond: changes / seconds,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// refresh vs floor, memory, requests per refresh, growth; and the in-process side of isolation
// ---------------------------------------------------------------------------------------------------------------
async function growthSections(results) {
  const worker = await startWorker();
  results.growth = [];
  try {
    const points = [];
    // --growth 50x10000,5x200000: only these points (while developing; the full run measures the whole grid)
    const only = option('growth')
      ?.split(',')
      .map(p => p.split('x').map(Number));
    if (wants('growth') && only)
      for (const [clusters, total] of only)
        points.push({
          clusters,
          total,
          services: [PLAN.growth.services].flat()[0],
        });
    else if (wants('growth'))
      for (const total of PLAN.growth.totals)
        for (const clusters of PLAN.growth.clusters)
          for (const services of [PLAN.growth.services].flat())
            points.push({ clusters, total, services });
    for (const { clusters, total, services } of points) {
      const endpoints = Math.round(total / services);
      const dir = await scenario({ clusters, services, endpoints });
      const sim = await startSim(dir);
      try {
        await worker.rpc('configure', await sim.rpc('fragment'), {
          clusterTimeoutSeconds: 600,
        });
        const big = total >= 100_000;
        const reps = big ? Math.min(2, PLAN.reps) : PLAN.reps;
        if (!big) {
          // warm the JIT of both sides once
          await worker.rpc('rawFloor');
          await worker.rpc('refresh');
        }
        const floor = [];
        const raw = [];
        const refresh = [];
        const refreshDue = [];
        let pages;
        let requestsByCluster;
        let bytes;
        let dueBytes;
        let last;
        let due;
        let lastStats;
        for (let i = 0; i < reps; i++) {
          floor.push((await worker.rpc('floor')).ms);
          const r = await worker.rpc('rawFloor');
          raw.push(r.ms);
          pages = r.pagesByCluster;
          // a refresh that reads syncz (the first, then one per serviceMesh.istiod.proxySyncIntervalSeconds)
          await sim.rpc('reset');
          due = await worker.rpc('refresh', { syncz: 'due' });
          dueBytes = Object.values(await sim.rpc('stats')).reduce(
            (n, s) => n + s.bytes,
            0,
          );
          refreshDue.push(due.ms);
          // the scheduled refresh in between (every refresh interval): lists, clusterz, syncz's last result kept
          await sim.rpc('reset');
          last = await worker.rpc('refresh', { syncz: 'kept' });
          const stats = await sim.rpc('stats');
          lastStats = stats;
          // istiod's view costs each member one label-selected pods list and its port-forwards (one per endpoint): not list pages
          requestsByCluster = Object.fromEntries(
            Object.entries(stats).map(([k, v]) => [
              k,
              v.requests -
                (k === 'global'
                  ? 0
                  : 1 + (v.byResource['get pods/portforward'] ?? 0)),
            ]),
          );
          bytes = Object.values(stats).reduce((n, s) => n + s.bytes, 0);
          refresh.push(last.ms);
        }
        const memory = await worker.rpc('memory');
        // istiod's own view off: the lists alone (the floor's work plus mapping and analysis)
        await sim.rpc('reset');
        const off = await worker.rpc('refresh', { istiod: false });
        const offStats = await sim.rpc('stats');
        const offMemory = await worker.rpc('memory');
        const members = Object.keys(offStats).filter(n => n !== 'global');
        const bytesOff = Object.values(offStats).reduce(
          (n, s) => n + s.bytes,
          0,
        );
        const istiod = {
          ...due.istiod,
          synczKeptViews: last.istiod.synczKept,
          refreshOffMs: off.ms,
          refreshSteadyMs: median(refresh),
          refreshDueMs: median(refreshDue),
          snapshotHeapOffBytes: offMemory.snapshotBytes,
          bytesOff,
          bytesSteady: bytes,
          bytesDue: dueBytes,
          proxyRequests: Object.values(lastStats).reduce(
            (n, s) => n + (s.byResource['get pods/portforward'] ?? 0),
            0,
          ),
          // per read, one istiod per member: the pods list and clusterz on every refresh, syncz when due
          clusterzBytesPerRead: (bytes - bytesOff) / members.length,
          synczBytesPerRead: (dueBytes - bytes) / members.length,
          clusterzMsPerRefresh: median(refresh) - off.ms,
          synczMsPerRead: median(refreshDue) - median(refresh),
        };
        istiod.extraBytes = dueBytes - bytesOff;
        // at their real intervals (refresh every 30 s as the watch section's poll, syncz every 900 s, the plugin's default): per hour
        istiod.bytesPerHour =
          (bytes - bytesOff) * (3600 / 30) + (dueBytes - bytes) * (3600 / 900);
        // memory() released the snapshot: refresh once more for the breakdown
        await worker.rpc('refresh');
        const breakdown = await worker.rpc('breakdown');
        // the snapshot heap by ClusterMeshData key (JSON size and heap freed), on one more refresh
        await worker.rpc('refresh');
        const heapByKey = await worker.rpc('heapByKey');
        const failed = last.clusters.filter(c => c.status !== 'ok');
        const memberNames = Object.keys(requestsByCluster).filter(
          n => n !== 'global',
        );
        const point = {
          clusters,
          services,
          endpointsPerService: endpoints,
          plannedEndpoints: total,
          endpoints: last.clusters.reduce((n, c) => n + c.endpoints, 0),
          refreshMs: median(refresh),
          floorMs: median(floor),
          rawFloorMs: median(raw),
          refreshRuns: refresh,
          floorRuns: floor,
          rawFloorRuns: raw,
          analyzeMs: breakdown.analyzeMs,
          indexMs: breakdown.indexMs,
          // the JSON the lists returned (istiod's debug bodies are reported under istiod)
          rawBytes: istiod.bytesOff,
          snapshotHeapBytes: memory.snapshotBytes,
          indexHeapBytes: breakdown.indexBytes,
          snapshotJsonBytes: breakdown.snapshotJsonBytes,
          decodedHeapBytes: breakdown.decodedBytes,
          decodedSharedHeapBytes: breakdown.decodedSharedBytes,
          heapByKey,
          requestsPerMember: median(memberNames.map(n => requestsByCluster[n])),
          requestsByCluster,
          pagesByCluster: pages,
          requestsMatchPages: Object.keys(pages).every(
            n => requestsByCluster[n] === pages[n],
          ),
          istiod,
          failedClusters: failed.map(
            c => `${c.name}: ${c.status} ${c.error ?? ''}`,
          ),
        };
        point.ratio = point.refreshMs / point.floorMs;
        point.rawRatio = point.refreshMs / point.rawFloorMs;
        point.memRatio = point.snapshotHeapBytes / point.rawBytes;
        point.ratioDue = point.istiod.refreshDueMs / point.floorMs;
        results.growth.push(point);
        log(
          `growth ${clusters} clusters × ${total} endpoints × ${services} services: refresh ${fmtMs(
            point.refreshMs,
          )} | floor ${fmtMs(point.floorMs)} (${point.ratio.toFixed(
            2,
          )}×) | raw ${fmtMs(point.rawFloorMs)} | heap ${fmtMB(
            point.snapshotHeapBytes,
          )} / ${fmtMB(point.rawBytes)} (${point.memRatio.toFixed(2)}×) | ${
            point.requestsPerMember
          } req/member`,
        );
      } finally {
        await sim.stop();
      }
    }

    // isolation, in-process: per-cluster read times of a refresh, without and with one slow cluster
    if (wants('isolation')) {
      const dir = await scenario(PLAN.main);
      const sim = await startSim(dir);
      try {
        await worker.rpc('configure', await sim.rpc('fragment'), {
          clusterTimeoutSeconds: PLAN.timeoutSeconds,
        });
        const clusterList = await sim.rpc('clusters');
        const slow =
          members(clusterList)[Math.min(4, members(clusterList).length - 1)]
            .name;
        await worker.rpc('refresh');
        const baseline = await worker.rpc('refresh');
        await sim.rpc('faults', slow, { latencyMs: PLAN.slowLatencyMs });
        const slowRun = await worker.rpc('refresh');
        await sim.rpc('faults', slow, {});
        const others = run =>
          Math.max(
            ...run.clusters.filter(c => c.name !== slow).map(c => c.durationMs),
          );
        results.isolation = {
          ...results.isolation,
          inProcess: {
            slowCluster: slow,
            baselineMs: baseline.ms,
            slowMs: slowRun.ms,
            othersMaxBaselineMs: others(baseline),
            othersMaxSlowMs: others(slowRun),
            slowClusterStatus: slowRun.clusters.find(c => c.name === slow)
              ?.status,
            slowClusterError: slowRun.clusters.find(c => c.name === slow)
              ?.error,
            othersOk: slowRun.clusters
              .filter(c => c.name !== slow)
              .every(c => c.status === 'ok'),
          },
        };
      } finally {
        await sim.stop();
      }
    }
  } finally {
    await worker.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// checks, table, chart
// ---------------------------------------------------------------------------------------------------------------
function evaluate(results) {
  const { entity, load, isolation, growth } = results;
  if (entity) {
    measured(
      'entity p95 (ours, 20 concurrent clients)',
      `≤ ${T.entityP95Ms} ms`,
      fmtMs(entity.ours.p95),
      entity.ours.p95 <= T.entityP95Ms,
    );
    measured(
      'entity: faster than the Kubernetes backend (p50 and p95)',
      `≥ ${T.speedup}×`,
      `${entity.speedupP50.toFixed(1)}× / ${entity.speedupP95.toFixed(1)}×`,
      entity.speedupP50 >= T.speedup && entity.speedupP95 >= T.speedup,
    );
  }
  if (load) {
    check(
      `API requests during ${load.pageViews} page views between refreshes`,
      '0',
      String(load.requestsDuringPageViews),
      load.requestsDuringPageViews === 0 && load.pageViews >= PLAN.pageViews,
    );
    const notOk = Object.entries(load.statuses).filter(([, v]) => v !== 'ok');
    check(
      'every cluster read by POST /refresh through the backend',
      'every cluster ok',
      notOk.length ? notOk.map(([k, v]) => `${k} ${v}`).join(', ') : 'all ok',
      Object.keys(load.statuses).length > 0 && notOk.length === 0,
    );
  }
  if (growth?.length) {
    const worst = (key, dir = 1) =>
      growth.reduce((a, b) => (dir * b[key] > dir * a[key] ? b : a));
    const w = worst('ratio');
    measured(
      'refresh vs client-node floor (worst growth point)',
      `≤ ${T.refreshRatio}×`,
      `${w.ratio.toFixed(2)}× at ${w.clusters}×${w.endpoints}`,
      growth.every(p => p.ratio <= T.refreshRatio),
    );
    const m = worst('memRatio');
    measured(
      'snapshot heap vs raw JSON listed (worst growth point)',
      `≤ ${T.memRatio}×`,
      `${m.memRatio.toFixed(2)}× at ${m.clusters}×${m.endpoints}`,
      growth.every(p => p.memRatio <= T.memRatio),
    );
    check(
      'API requests per cluster per refresh = pages of the lists (no per-service calls)',
      'equal at every point',
      growth.every(p => p.requestsMatchPages) ? 'equal' : 'differ',
      growth.every(p => p.requestsMatchPages),
      growth
        .map(p => `${p.clusters}×${p.endpoints}: ${p.requestsPerMember}/member`)
        .join(', '),
    );
    // Same clusters and endpoints, different numbers of services, same pages: the same requests per cluster.
    const sizes = Map.groupBy(
      growth,
      p => `${p.clusters}×${p.plannedEndpoints}`,
    );
    const compared = [...sizes].filter(
      ([, ps]) =>
        new Set(ps.map(p => p.services)).size > 1 &&
        new Set(ps.map(p => JSON.stringify(p.pagesByCluster))).size === 1,
    );
    if (compared.length) {
      const differing = compared.filter(
        ([, ps]) =>
          new Set(ps.map(p => JSON.stringify(p.requestsByCluster))).size > 1,
      );
      check(
        'API requests per refresh independent of the number of services',
        'equal for every size',
        differing.length
          ? `differ at ${differing.map(([k]) => k).join(', ')}`
          : 'equal',
        differing.length === 0,
        compared
          .map(
            ([k, ps]) =>
              `${k}: ${ps
                .map(
                  p => `${p.services} services ${p.requestsPerMember}/member`,
                )
                .join(' vs ')}`,
          )
          .join(', '),
      );
    }
    check(
      'every cluster read at every growth point',
      'no failures',
      String(growth.flatMap(p => p.failedClusters).length),
      growth.every(p => p.failedClusters.length === 0),
      growth
        .flatMap(p => p.failedClusters)
        .slice(0, 3)
        .join('; '),
    );
  }
  if (isolation?.rounds) {
    measured(
      `/overview p95 with one cluster at ${
        isolation.latencyMs / 1000
      } s latency`,
      `change < ${T.overviewP95Change * 100}%`,
      `${(isolation.overviewP95Change * 100).toFixed(1)}% (${fmtMs(
        isolation.overviewP95BaselineMs,
      )} → ${fmtMs(isolation.overviewP95SlowMs)})`,
      Math.abs(isolation.overviewP95Change) < T.overviewP95Change,
      `while its read hangs, ${(isolation.windowMs / 1000).toFixed(
        1,
      )} s windows, medians of ${isolation.rounds.length} rounds`,
    );
    // POST /refresh waits for the scheduler to pick the task up (seconds, varying): its time is reported, and the
    // timing check is the in-process one below; here the outcome must be right.
    check(
      'refresh with the slow cluster: the others ok, the slow one unreachable (POST /refresh)',
      'every round',
      `${
        isolation.rounds.filter(
          r =>
            r.slow.othersOk &&
            ['unreachable', 'stale'].includes(r.slow.slowStatus),
        ).length
      }/${isolation.rounds.length}`,
      isolation.rounds.every(
        r =>
          r.slow.othersOk &&
          ['unreachable', 'stale'].includes(r.slow.slowStatus),
      ),
      `POST /refresh ${fmtMs(isolation.refreshSlowMs)} (baseline ${fmtMs(
        isolation.refreshBaselineMs,
      )})`,
    );
  }
  if (isolation?.inProcess) {
    const ip = isolation.inProcess;
    if (SMOKE)
      check(
        'refresh with the slow cluster: the others ok, the slow one unreachable (in-process)',
        'ok / unreachable',
        `${ip.othersOk ? 'ok' : 'not all ok'} / ${ip.slowClusterStatus}`,
        ip.othersOk && ['unreachable', 'stale'].includes(ip.slowClusterStatus),
        ip.slowClusterError ?? '',
      );
    measured(
      'refresh delayed by at most the per-cluster timeout; the other clusters read as fast (in-process)',
      `refresh ≤ baseline + ${isolation.timeoutSeconds} s + 1 s; others ≤ baseline + 1 s`,
      `refresh ${fmtMs(ip.slowMs)} (baseline ${fmtMs(
        ip.baselineMs,
      )}); slowest other cluster ${fmtMs(ip.othersMaxSlowMs)} (baseline ${fmtMs(
        ip.othersMaxBaselineMs,
      )})`,
      ip.othersOk &&
        ip.othersMaxSlowMs <= ip.othersMaxBaselineMs + 1000 &&
        ip.slowMs <= isolation.timeoutSeconds * 1000 + ip.baselineMs + 1000,
    );
  }
}

function markdown(results) {
  const m = results.machine;
  const lines = [];
  lines.push(
    `Run ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.nproc} CPUs (${
      m.cpu
    }), ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}; ` +
      `load average ${m.loadavg.join(
        ' / ',
      )} at the start, ${results.machineEnd.loadavg.join(' / ')} at the end` +
      `${
        results.mode === 'smoke'
          ? ' — **smoke run (tiny sizes; counts judged, timings reported: their targets are the full run’s)**'
          : ''
      }.`,
  );
  lines.push('');
  lines.push('| metric | target | result | pass |');
  lines.push('|---|---|---|---|');
  for (const c of checks)
    lines.push(
      `| ${c.name} | ${c.target} | ${c.value} | ${
        c.judged === false ? 'not judged' : c.pass ? '✅' : '❌'
      } |`,
    );
  const e = results.entity;
  if (e) {
    lines.push('');
    lines.push(
      `Entity lookup, ${e.scenario.clusters} clusters × ${e.scenario.services} services × ${e.scenario.endpoints} endpoints, ${e.concurrency} concurrent clients:`,
    );
    lines.push('');
    lines.push(
      '| | p50 | p95 | p99 | req/s | requests | API requests per view | response |',
    );
    lines.push('|---|---|---|---|---|---|---|---|');
    lines.push(
      `| service-mesh \`GET /entity\` | ${fmtMs(e.ours.p50)} | ${fmtMs(
        e.ours.p95,
      )} | ${fmtMs(e.ours.p99)} | ${e.ours.rps.toFixed(0)} | ${
        e.ours.count
      } | 0 | ${(e.oursBytes / 1024).toFixed(0)} KiB, ${
        e.oursClusters
      } clusters |`,
    );
    lines.push(
      `| Kubernetes backend \`POST /services/:name\` | ${fmtMs(
        e.peer.p50,
      )} | ${fmtMs(e.peer.p95)} | ${fmtMs(e.peer.p99)} | ${e.peer.rps.toFixed(
        1,
      )} | ${e.peer.count} | ${e.peerApiRequestsPerView.toFixed(0)} | ${(
        e.peerBytes / 1024
      ).toFixed(0)} KiB, ${e.peerClusters} clusters |`,
    );
    lines.push(
      `| ratio (peer / ours) | ${e.speedupP50.toFixed(
        1,
      )}× | ${e.speedupP95.toFixed(1)}× | ${(e.peer.p99 / e.ours.p99).toFixed(
        1,
      )}× | | | | |`,
    );
    lines.push('');
    lines.push(
      `First view of each entity after a refresh (view built, catalog looked up; one client): p50 ${fmtMs(
        e.cold.p50,
      )}, max ${fmtMs(e.cold.max)}.`,
    );
  }
  const g = results.growth;
  if (g?.length) {
    lines.push('');
    lines.push(
      'Refresh and memory by size (in-process; floor = the same paginated lists with `@kubernetes/client-node`, results dropped; raw = `node:http` + `JSON.parse` only):',
    );
    lines.push('');
    lines.push(
      '| clusters | endpoints | raw JSON listed | refresh | client-node floor | ratio | raw floor | ratio to raw | of which analysis | snapshot heap | heap / raw JSON | replica reading the store: decoded (shared) | API requests per member cluster |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    const manyServices = new Set(g.map(p => p.services)).size > 1;
    for (const p of g) {
      lines.push(
        `| ${p.clusters} | ${p.endpoints.toLocaleString('en')}${
          manyServices ? ` (${p.services} services)` : ''
        } | ${fmtMB(p.rawBytes)} | ${fmtMs(p.refreshMs)} | ${fmtMs(
          p.floorMs,
        )} | ${p.ratio.toFixed(2)}× | ${fmtMs(
          p.rawFloorMs,
        )} | ${p.rawRatio.toFixed(2)}× | ${fmtMs(p.analyzeMs)} | ${fmtMB(
          p.snapshotHeapBytes,
        )} (index ${fmtMB(p.indexHeapBytes)}) | ${p.memRatio.toFixed(2)}× | ${
          p.decodedHeapBytes === undefined
            ? ''
            : `${fmtMB(p.decodedHeapBytes)} (${fmtMB(
                p.decodedSharedHeapBytes,
              )})`
        } | ${p.requestsPerMember} |`,
      );
    }
    if (g.some(p => p.istiod)) {
      lines.push('');
      lines.push(
        "istiod's own view (`/debug/clusterz` + `/debug/syncz` through pods/portforward, one istiod per member). Off: the lists alone. Steady: the scheduled refresh (every `refreshIntervalSeconds`): lists + pods list + clusterz, syncz's last result kept. Due: the refresh that also reads syncz (once per `serviceMesh.istiod.proxySyncIntervalSeconds`, default 900). Per read: the extra per member (one istiod each):",
      );
      lines.push('');
      lines.push(
        '| clusters | endpoints | proxies istiod reports | rows kept | refresh off / steady / due | per clusterz read (bytes; refresh time added) | per syncz read (bytes; refresh time added) | snapshot heap off → on | API bytes per refresh off / steady / due |',
      );
      lines.push('|---|---|---|---|---|---|---|---|---|');
      for (const p of g.filter(x => x.istiod)) {
        const i = p.istiod;
        if (i.bytesSteady === undefined) continue; // results of a run before the syncz interval
        lines.push(
          `| ${p.clusters} | ${p.endpoints.toLocaleString(
            'en',
          )} | ${i.proxies.toLocaleString('en')} (${i.ok}/${
            i.views
          } istiods read) | ${i.rows} | ${fmtMs(i.refreshOffMs)} / ${fmtMs(
            i.refreshSteadyMs,
          )} / ${fmtMs(i.refreshDueMs)} | ${fmtKB(
            i.clusterzBytesPerRead,
          )}; ${fmtMs(i.clusterzMsPerRefresh)} | ${fmtMB(
            i.synczBytesPerRead,
          )}; ${fmtMs(i.synczMsPerRead)} | ${fmtMB(
            i.snapshotHeapOffBytes,
          )} → ${fmtMB(p.snapshotHeapBytes)} | ${fmtMB(i.bytesOff)} / ${fmtMB(
            i.bytesSteady,
          )} / ${fmtMB(i.bytesDue)} |`,
        );
      }
      lines.push('');
      lines.push(
        "Refresh vs floor is judged on the steady refresh (what runs every interval; it includes clusterz, the floor does not); the due refresh's ratio is in results.json (`ratioDue`). Heap / raw JSON divides by the lists' bytes only.",
      );
    }
  }
  const iso = results.isolation;
  if (iso?.rounds) {
    lines.push('');
    lines.push(
      `Isolation: ${iso.slowCluster} answers after ${
        iso.latencyMs / 1000
      } s, per-cluster timeout ${iso.timeoutSeconds} s; /overview under ${
        PLAN.concurrency
      } clients for ${(iso.windowMs / 1000).toFixed(
        1,
      )} s while its read hangs vs with no refresh running: p95 ${fmtMs(
        iso.overviewP95BaselineMs,
      )} → ${fmtMs(iso.overviewP95SlowMs)}; POST /refresh ${fmtMs(
        iso.refreshBaselineMs,
      )} → ${fmtMs(iso.refreshSlowMs)}` +
        (iso.inProcess
          ? `; slowest other cluster ${fmtMs(
              iso.inProcess.othersMaxBaselineMs,
            )} → ${fmtMs(iso.inProcess.othersMaxSlowMs)}, slow cluster ${
              iso.inProcess.slowClusterStatus
            }.`
          : '.'),
    );
  }
  if (results.load) {
    lines.push('');
    lines.push(
      `Load on clusters (main scenario, through the backend): ${Object.entries(
        results.load.requestsPerCluster,
      )
        .slice(0, 3)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}, … requests per refresh; ${
        results.load.requestsDuringPageViews
      } during ${results.load.pageViews} page views.`,
    );
  }
  return lines.join('\n');
}

function chart(results) {
  const most = Math.max(...(results.growth ?? []).map(p => p.services));
  const g = (results.growth ?? []).filter(p => p.services === most);
  if (g.length === 0) return undefined;
  const clusterCounts = [...new Set(g.map(p => p.clusters))].sort(
    (a, b) => a - b,
  );
  const xTicks = [...new Set(g.map(p => p.plannedEndpoints))].sort(
    (a, b) => a - b,
  );
  const series = (key, dashed, scale = 1) =>
    clusterCounts.map((c, i) => ({
      name: `${c} clusters`,
      color: colorOf(i),
      dashed,
      points: g
        .filter(p => p.clusters === c)
        .map(p => [p.endpoints, p[key] * scale]),
    }));
  return renderChart({
    title:
      'service-mesh backend: refresh time and snapshot memory by mesh size',
    panels: [
      {
        title: 'Full refresh (s): ours vs client-node floor',
        xLabel: 'endpoints in the mesh',
        yLabel: 'seconds',
        xTicks,
        series: [
          ...series('refreshMs', false, 1 / 1000),
          ...series('floorMs', true, 1 / 1000),
        ],
      },
      {
        title: 'Memory (MB): snapshot heap vs raw JSON listed',
        xLabel: 'endpoints in the mesh',
        yLabel: 'MB',
        xTicks,
        series: [
          ...series('snapshotHeapBytes', false, 1 / 1e6),
          ...series('rawBytes', true, 1 / 1e6),
        ],
      },
    ],
    groups: clusterCounts.map(c => ({ name: `${c} clusters` })),
    styles: [
      { name: 'service-mesh backend', dashed: false },
      { name: 'floor / raw JSON', dashed: true },
    ],
    footnote: `${results.machine.nproc} CPUs, ${
      results.machine.memoryGiB
    } GiB, Node ${results.machine.node}, ${results.machine.date.slice(0, 10)}`,
  });
}

function junit(file) {
  const esc = s =>
    String(s)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/"/g, '&quot;');
  // Only what is judged is a test case; the smoke run's timings are in the log and results.md.
  const judged = checks.filter(c => c.judged !== false);
  const failures = judged.filter(c => !c.pass).length;
  const cases = judged
    .map(
      c =>
        `  <testcase classname="bench${SMOKE ? '.smoke' : ''}" name="${esc(
          c.name,
        )}">${
          c.pass
            ? ''
            : `<failure message="${esc(`${c.value} (target ${c.target})`)}"/>`
        }</testcase>`,
    )
    .join('\n');
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="bench${
      SMOKE ? '-smoke' : ''
    }" tests="${
      judged.length
    }" failures="${failures}">\n${cases}\n</testsuite>\n`,
  );
}

function updateDocs(table) {
  const file = join(ROOT, 'docs/bench.md');
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  // Formatted as the repository's prettier check wants it (scripts/test-all.sh).
  const updated = `${text.slice(0, a + begin.length)}\n${table}\n${text.slice(
    b,
  )}`;
  const config = prettier.resolveConfig.sync(file) ?? {};
  writeFileSync(
    file,
    prettier.format(updated, { ...config, parser: 'markdown' }),
  );
}

async function main() {
  const results = {
    mode: SMOKE ? 'smoke' : 'full',
    machine: machine(),
    plan: PLAN,
    targets: T,
  };
  log(
    `${SMOKE ? 'smoke run' : 'full run'} on ${results.machine.nproc} CPUs, ${
      results.machine.memoryGiB
    } GiB, Node ${process.version}, load ${results.machine.loadavg.join(' ')}`,
  );
  let error;
  try {
    if (wants('entity') || wants('isolation')) await backendSections(results);
    if (wants('growth') || wants('isolation')) await growthSections(results);
    if (wants('watch')) await watchSection(results);
  } catch (e) {
    error = e;
    console.error(e);
    check(
      'benchmark ran to the end',
      'no error',
      String(e?.message ?? e).split('\n')[0],
      false,
    );
  }
  if (!error) check('benchmark ran to the end', 'no error', 'no error', true);
  results.machineEnd = machine();
  results.durationSeconds = (Date.now() - startedAt) / 1000;
  evaluate(results);
  results.checks = checks;
  const table = markdown(results);
  writeFileSync(
    join(OUT, 'results.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  writeFileSync(join(OUT, 'results.md'), `# Benchmark results\n\n${table}\n`);
  const svg = chart(results);
  if (svg) writeFileSync(join(OUT, 'growth.svg'), svg);
  if (!SMOKE && !ONLY && !option('out') && !error) updateDocs(table);
  const junitFile = option('junit');
  if (junitFile) junit(junitFile);
  console.log(`\n${table}\n`);
  const judged = checks.filter(c => c.judged !== false);
  const failed = judged.filter(c => !c.pass).length;
  const reported = checks.length - judged.length;
  console.log(`results: ${OUT}  (${results.durationSeconds.toFixed(0)} s)`);
  console.log(
    `${judged.length - failed} passed, ${failed} failed${
      reported ? `, ${reported} timings reported (not judged)` : ''
    }`,
  );
  process.exit(failed ? 1 : 0);
}

if (flag('clean')) rmSync(WORK, { recursive: true, force: true });
main();
