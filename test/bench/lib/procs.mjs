// Child processes of the benchmark: the simulator, the in-process refresh worker and the bench backend, each
// reachable over IPC with rpc(op, ...args). Every child is killed when the benchmark exits.
import { fork, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(dirname(BENCH_DIR));
const require = createRequire(join(ROOT, 'package.json'));
/** The Backstage CLI's TypeScript transform for Node (what `backstage-cli package start` runs a backend with). */
export const NODE_TRANSFORM = require.resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
);

const children = new Set();
function killAll() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Forks `script` with IPC and waits for its `{ ready: true, ... }` message.
 * @returns {Promise<{ child, ready, rpc: (op: string, ...args: unknown[]) => Promise<any>, stop: () => Promise<void> }>}
 */
export function startChild(
  script,
  args = [],
  {
    execArgv = [],
    env = {},
    timeoutMs = 300_000,
    silent = false,
    cwd = ROOT,
  } = {},
) {
  const child = fork(script, args, {
    cwd,
    execArgv,
    env: { ...process.env, ...env },
    stdio: silent
      ? ['ignore', 'pipe', 'pipe', 'ipc']
      : ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  children.add(child);
  let output = '';
  if (silent) {
    const keep = d => {
      output = (output + d.toString()).slice(-20000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  }
  const pending = new Map();
  let nextId = 1;
  child.on('message', msg => {
    if (msg && msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(msg.error));
      else resolve(msg.result);
    }
  });
  child.on('exit', (code, signal) => {
    children.delete(child);
    for (const { reject } of pending.values()) {
      reject(
        new Error(
          `${script} exited (${code ?? signal})${output ? `:\n${output}` : ''}`,
        ),
      );
    }
    pending.clear();
  });
  const rpc = (op, ...rpcArgs) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, args: rpcArgs });
    });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    try {
      await Promise.race([rpc('stop'), new Promise(r => setTimeout(r, 5000))]);
    } catch {
      // it may exit before answering
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${script} did not start within ${timeoutMs} ms${
            output ? `:\n${output}` : ''
          }`,
        ),
      );
    }, timeoutMs);
    child.on('message', msg => {
      if (msg && msg.ready) {
        clearTimeout(timer);
        resolve({ child, ready: msg, rpc, stop, output: () => output });
      }
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(
        new Error(
          `${script} exited with ${code} before it was ready${
            output ? `:\n${output}` : ''
          }`,
        ),
      );
    });
  });
}

/** The simulator of one scenario folder. */
export function startSim(scenarioDir, { heapMb = 6144 } = {}) {
  return startChild(join(BENCH_DIR, 'sim.mjs'), [scenarioDir], {
    execArgv: [`--max-old-space-size=${heapMb}`],
    silent: true,
  });
}

/** The in-process worker (the plugin's snapshot service and the client-node floor), with --expose-gc. */
export function startWorker({ heapMb = 8192, cpuProf } = {}) {
  const execArgv = [
    '--require',
    NODE_TRANSFORM,
    '--expose-gc',
    `--max-old-space-size=${heapMb}`,
  ];
  if (cpuProf) execArgv.push('--cpu-prof', `--cpu-prof-dir=${cpuProf}`);
  return startChild(join(BENCH_DIR, 'worker.ts'), [], {
    execArgv,
    silent: true,
  });
}

/** Runs a command to completion; rejects on a non-zero exit. */
export function run(cmd, args, { cwd = ROOT, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    child.on('exit', code => {
      children.delete(child);
      if (code === 0) resolve(out);
      else
        reject(
          new Error(
            `${cmd} ${args.join(' ')} exited with ${code}:\n${out.slice(
              -4000,
            )}`,
          ),
        );
    });
  });
}
