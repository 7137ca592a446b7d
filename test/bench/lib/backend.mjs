// Starts test/bench/backend.ts (catalog, permissions, Kubernetes backend, service-mesh backend) on a free port
// with a config written here, and waits until it answers and the catalog holds the bench entities.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BENCH_DIR, NODE_TRANSFORM, ROOT } from './procs.mjs';
import { request } from './load.mjs';

export const STATIC_TOKEN = 'bench-static-token';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Catalog Components whose `backstage.io/kubernetes-id` names generated services (`svc-0001`…). */
export function benchEntities(names) {
  return names
    .map(name =>
      stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name, annotations: { 'backstage.io/kubernetes-id': name } },
        spec: { type: 'service', lifecycle: 'production', owner: 'bench' },
      }),
    )
    .join('---\n');
}

export async function startBackend({
  workDir,
  fragment,
  entityNames,
  serviceMesh = {},
  heapMb = 4096,
  // The V8 inspector on a free loopback port, for heapAfterGc() (the watch section's informer heap).
  inspect = false,
}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const entitiesFile = join(workDir, 'bench-entities.yaml');
  writeFileSync(entitiesFile, benchEntities(entityNames));
  const config = {
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: STATIC_TOKEN, subject: 'bench' },
          },
        ],
      },
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
    catalog: {
      rules: [{ allow: ['Component'] }],
      locations: [{ type: 'file', target: entitiesFile }],
      processingInterval: { minutes: 60 },
    },
    permission: { enabled: true },
    ...fragment,
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      ...fragment.kubernetes,
    },
    serviceMesh: {
      ...fragment.serviceMesh,
      refreshIntervalSeconds: 3600,
      clusterTimeoutSeconds: 10,
      ...serviceMesh,
    },
  };
  const configFile = join(workDir, 'bench-app-config.yaml');
  writeFileSync(configFile, stringify(config));

  const child = spawn(
    process.execPath,
    [
      '--require',
      NODE_TRANSFORM,
      `--max-old-space-size=${heapMb}`,
      ...(inspect ? ['--inspect=127.0.0.1:0', '--expose-gc'] : []),
      ...(process.env.BENCH_BACKEND_NODE_ARGS ?? '').split(' ').filter(Boolean),
      join(BENCH_DIR, 'backend.ts'),
      '--config',
      configFile,
    ],
    {
      cwd: workDir,
      env: {
        ...process.env,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let inspector;
  const keep = d => {
    output = (output + d.toString()).slice(-40000);
    inspector ??= /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
    if (process.env.BENCH_VERBOSE) process.stderr.write(d);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise(resolve => child.once('exit', resolve));
  process.on('exit', () => child.kill('SIGKILL'));

  const agent = new http.Agent({ keepAlive: true });
  const auth = { Authorization: `Bearer ${STATIC_TOKEN}` };
  const call = (method, path, body) =>
    request(agent, { method, url: `${baseUrl}${path}`, headers: auth, body });
  const stop = async () => {
    agent.destroy();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };

  // Ready: the service-mesh plugin answers and the catalog has processed every bench entity.
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `bench backend exited with ${child.exitCode}:\n${output}`,
      );
    if (Date.now() - started > 240_000) {
      await stop();
      throw new Error(`bench backend not ready after 240 s:\n${output}`);
    }
    try {
      const health = await call('GET', '/api/service-mesh/health');
      if (health.status === 200) {
        const res = await call(
          'GET',
          `/api/catalog/entities/by-query?filter=kind=component&limit=1000&fields=metadata.name`,
        );
        const count =
          res.status === 200 ? JSON.parse(res.text).items.length : 0;
        if (count >= entityNames.length) break;
      }
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  return {
    baseUrl,
    port,
    auth,
    call,
    stop,
    startupMs: Date.now() - started,
    output: () => output,
    pid: child.pid,
    heapAfterGc: () => heapAfterGc(inspector),
  };
}

/** V8 heap used after a full GC in the backend, read over its inspector (started with `inspect: true`). */
async function heapAfterGc(url) {
  if (!url)
    throw new Error('heapAfterGc: the backend was not started with inspect');
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  try {
    const answer = new Promise((resolve, reject) => {
      ws.onmessage = m => {
        const msg = JSON.parse(m.data);
        if (msg.id !== 1) return;
        if (msg.result?.exceptionDetails || !msg.result)
          reject(new Error(`heapAfterGc: ${m.data}`));
        else resolve(msg.result.result.value);
      };
    });
    ws.send(
      JSON.stringify({
        id: 1,
        method: 'Runtime.evaluate',
        params: {
          // Twice: the first collection frees what finalizers release.
          expression: 'gc(); gc(); process.memoryUsage().heapUsed',
          returnByValue: true,
        },
      }),
    );
    return await answer;
  } finally {
    ws.close();
  }
}
