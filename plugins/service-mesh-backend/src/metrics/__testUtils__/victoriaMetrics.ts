/*
 * A real VictoriaMetrics (Debian's `victoria-metrics`) for tests: started on loopback on a free port with a
 * temporary data directory, stopped and removed afterwards. Set VICTORIA_METRICS_BIN to use another binary.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningVictoriaMetrics {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartVictoriaMetricsOptions {
  /** Require HTTP basic auth (`-httpAuth.username/password`). */
  auth?: { username: string; password: string };
}

const CANDIDATES = [
  '/usr/bin/victoria-metrics',
  '/usr/local/bin/victoria-metrics',
];

/** The binary's path, or undefined when it is not installed. */
export function findVictoriaMetrics(): string | undefined {
  const fromEnv = process.env.VICTORIA_METRICS_BIN;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'victoria-metrics');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return CANDIDATES.find(c => fs.existsSync(c));
}

export const MISSING_VICTORIA_METRICS =
  'victoria-metrics is not installed: these tests run against a real VictoriaMetrics. Install it with ' +
  '`apt-get install victoria-metrics` (or `scripts/victoria-metrics.sh install`), or point VICTORIA_METRICS_BIN at the binary.';

/**
 * Whether suites that need VictoriaMetrics run: with the binary, or when CI is set (then startVictoriaMetrics
 * fails with MISSING_VICTORIA_METRICS: a CI run must not pass by skipping them). Locally without the binary they
 * are skipped. Use as `(victoriaMetricsRuns() ? describe : describe.skip)(…)`.
 */
export function victoriaMetricsRuns(): boolean {
  return Boolean(findVictoriaMetrics() || process.env.CI);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function waitHealthy(
  url: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000; // generous for a loaded machine
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`victoria-metrics exited early: ${log()}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      // With -httpAuth.* even /health wants credentials: any HTTP answer means it listens.
      if (res.ok || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`victoria-metrics did not become healthy: ${log()}`);
}

export async function startVictoriaMetrics(
  options: StartVictoriaMetricsOptions = {},
): Promise<RunningVictoriaMetrics> {
  const binary = findVictoriaMetrics();
  if (!binary) throw new Error(MISSING_VICTORIA_METRICS);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vm-test-'));
    const args = [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dataDir}`,
      '-retentionPeriod=2d',
      // Imported samples are visible to queries at once, and no response cache hides a later import.
      '-search.latencyOffset=0s',
      '-search.disableCache',
      '-loggerLevel=ERROR',
      '-memory.allowedPercent=20',
    ];
    if (options.auth) {
      args.push(
        `-httpAuth.username=${options.auth.username}`,
        `-httpAuth.password=${options.auth.password}`,
      );
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', chunk => {
      stderr = (stderr + chunk).slice(-2000);
    });
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited(child);
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    try {
      await waitHealthy(url, child, () => stderr);
      return { url, port, stop };
    } catch (error) {
      await stop();
      // Another process may have taken the port between probing and binding: try again.
      if (attempt >= 3) throw error;
    }
  }
}
