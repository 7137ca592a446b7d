// Helpers for tests that talk to a running simulator over real HTTP.
import * as k8s from '@kubernetes/client-node';
import { resolve } from 'node:path';
import type { RunningSimulator, SimulatorCluster } from '../types.ts';

export const scenarioDir = (name: string) =>
  resolve(__dirname, '../../scenarios', name);

export function cluster(sim: RunningSimulator, name: string): SimulatorCluster {
  const found = sim.clusters.find(c => c.name === name);
  if (!found) throw new Error(`no cluster ${name}`);
  return found;
}

/** A client-node KubeConfig for one cluster; `token: null` sends no credentials. */
export function kubeConfig(
  sim: RunningSimulator,
  name: string,
  opts: { token?: string | null; https?: boolean } = {},
): k8s.KubeConfig {
  const c = cluster(sim, name);
  const kc = new k8s.KubeConfig();
  const token = opts.token === undefined ? c.token : opts.token;
  kc.loadFromOptions({
    clusters: [
      { name, server: opts.https ? c.httpsUrl! : c.url, skipTLSVerify: true },
    ],
    users: [{ name: 'user', ...(token === null ? {} : { token }) }],
    contexts: [{ name, cluster: name, user: 'user' }],
    currentContext: name,
  });
  return kc;
}

export function coreApi(
  sim: RunningSimulator,
  name: string,
  opts?: { token?: string | null },
): k8s.CoreV1Api {
  return kubeConfig(sim, name, opts).makeApiClient(k8s.CoreV1Api);
}

/** A plain fetch with the cluster's bearer token (or another one). */
export async function raw(
  sim: RunningSimulator,
  name: string,
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    token?: string | null;
  } = {},
): Promise<{ status: number; body: any; text: string }> {
  const c = cluster(sim, name);
  const token = init.token === undefined ? c.token : init.token;
  const res = await fetch(`${c.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...init.headers,
    },
    body: init.body,
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

/** The ApiException of a failing client-node call, with its Status body parsed. */
export async function apiError(
  call: Promise<unknown>,
): Promise<{ code: number; status: any }> {
  try {
    await call;
  } catch (e: any) {
    if (typeof e?.code !== 'number') throw e;
    return {
      code: e.code,
      status: typeof e.body === 'string' ? JSON.parse(e.body) : e.body,
    };
  }
  throw new Error('expected the call to fail');
}

/** Waits for a condition instead of sleeping: polls `check`, failing after `timeoutMs` with what it waited for. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(wake => setTimeout(wake, 20));
  }
}
