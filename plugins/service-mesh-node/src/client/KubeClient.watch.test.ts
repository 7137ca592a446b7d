// KubeClient's list resourceVersion and watch, over real HTTP against kube-sim: the events, bookmarks, metadata-only
// Secrets, the ways a watch ends (clean timeout, 410 as an ERROR event, a cut connection, an idle one, 403) and
// credentials renewed after a 401.
import { KubeConfig } from '@kubernetes/client-node';
import { RunningSimulator, startSimulator } from '@internal/kube-sim';
import nodePath from 'node:path';
import { isKubeApiError, KubeApiError } from '../errors';
import { createKubeClient, KubeClient, KubeWatchEvent } from './KubeClient';

jest.setTimeout(30_000);

const scenarioDir = nodePath.join(
  nodePath.dirname(require.resolve('@internal/kube-sim/package.json')),
  'scenarios',
  'demo',
);

let sim: RunningSimulator;
let client: KubeClient;

function kubeConfigOf(name: string, token?: string): KubeConfig {
  const c = sim.clusters.find(x => x.name === name)!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server: c.url, skipTLSVerify: true }],
    users: [{ name: 'u', token: token ?? c.token }],
    contexts: [{ name, cluster: name, user: 'u' }],
    currentContext: name,
  });
  return kc;
}

beforeAll(async () => {
  sim = await startSimulator({ scenarioDir, port: 0 });
  client = createKubeClient(kubeConfigOf('cluster1'));
});

afterAll(async () => {
  await sim?.stop();
});

afterEach(async () => {
  await sim.setFaults('cluster1', {});
});

/** Runs a watch in the background; `until` waits for a condition on its events or its end. */
function watching(
  path: string,
  resourceVersion: string,
  options: Partial<Parameters<KubeClient['watch'] & {}>[1]> = {},
  on: KubeClient = client,
) {
  const events: KubeWatchEvent[] = [];
  const controller = new AbortController();
  const waiters = new Set<() => void>();
  let end: { error?: unknown } | undefined;
  const notify = () => waiters.forEach(w => w());
  on.watch!(
    path,
    { resourceVersion, signal: controller.signal, ...options },
    e => {
      events.push(e);
      notify();
    },
  ).then(
    () => {
      end = {};
      notify();
    },
    error => {
      end = { error };
      notify();
    },
  );
  const until = (condition: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}`)),
        20_000,
      );
      const check = () => {
        if (!condition()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { events, end: () => end, until, stop: () => controller.abort() };
}

async function listVersion(path: string, metadataOnly = false) {
  const result = await client.listPages!(path, { metadataOnly }, () => {});
  return (result as { resourceVersion: string }).resourceVersion;
}

const configMap = (name: string) =>
  sim.change('cluster1', {
    op: 'apply',
    objects: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'kube-system' },
        data: { v: '1' },
      },
    ],
  });

describe('KubeClient.watch', () => {
  it('gives the list resourceVersion, then the changes after it and bookmarks to resume from', async () => {
    await sim.setFaults('cluster1', { watch: { bookmarkSeconds: 0.2 } });
    const path = '/api/v1/namespaces/kube-system/configmaps';
    const rv = await listVersion(path);
    expect(rv).toMatch(/^\d+$/);
    const w = watching(path, rv);
    configMap('watched-1');
    sim.change('cluster1', {
      op: 'delete',
      args: ['configmap', 'kube-system/watched-1'],
    });
    await w.until(
      () =>
        w.events.some(e => e.type === 'DELETED') &&
        w.events.some(e => e.type === 'BOOKMARK'),
      'the deletion and a bookmark',
    );
    w.stop();
    await w.until(() => w.end() !== undefined, 'the watch to end');
    expect(w.end()).toEqual({});
    expect(
      w.events.filter(e => e.type !== 'BOOKMARK').map(e => e.type),
    ).toEqual(['ADDED', 'DELETED']);
    const bookmark = w.events.find(e => e.type === 'BOOKMARK')!;
    expect(
      Number((bookmark.object.metadata as any).resourceVersion),
    ).toBeGreaterThan(Number(rv));
    // The request asked for bookmarks, from the list's version.
    const request = sim
      .requestLog('cluster1')
      .find(r => r.verb === 'watch' && r.path === path)!;
    expect(request.query).toMatchObject({
      watch: 'true',
      resourceVersion: rv,
      allowWatchBookmarks: 'true',
    });
  });

  it('watches Secrets metadata-only: no data crosses the wire', async () => {
    const path = '/api/v1/namespaces/istio-system/secrets';
    const rv = await listVersion(path, true);
    const w = watching(path, rv, {
      metadataOnly: true,
      labelSelector: 'istio/multiCluster=true',
    });
    sim.change('cluster1', {
      op: 'apply',
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'istio-remote-secret-extra',
            namespace: 'istio-system',
            labels: { 'istio/multiCluster': 'true' },
          },
          stringData: { extra: 'kubeconfig-with-a-token' },
        },
      ],
    });
    await w.until(() => w.events.length > 0, 'the ADDED event');
    w.stop();
    expect(w.events[0]).toMatchObject({
      type: 'ADDED',
      object: {
        kind: 'PartialObjectMetadata',
        metadata: { name: 'istio-remote-secret-extra' },
      },
    });
    expect(Object.keys(w.events[0].object).sort()).toEqual([
      'apiVersion',
      'kind',
      'metadata',
    ]);
    expect(JSON.stringify(w.events)).not.toContain('kubeconfig-with-a-token');
    const request = sim
      .requestLog('cluster1')
      .filter(r => r.verb === 'watch' && r.path === path)
      .pop()!;
    expect(request.accept).toBe(
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    );
    sim.change('cluster1', {
      op: 'delete',
      args: ['secret', 'istio-system/istio-remote-secret-extra'],
    });
  });

  it('resolves when the server ends the watch cleanly (timeoutSeconds)', async () => {
    const path = '/api/v1/namespaces/kube-system/configmaps';
    const w = watching(path, await listVersion(path), { timeoutSeconds: 1 });
    await w.until(() => w.end() !== undefined, 'the end of the watch');
    expect(w.end()).toEqual({});
  });

  it('hands a 410 ERROR event to the caller when the resourceVersion was compacted', async () => {
    const path = '/api/v1/namespaces/kube-system/configmaps';
    const rv = await listVersion(path);
    configMap('compacted-away');
    sim.compact('cluster1');
    const w = watching(path, rv);
    await w.until(() => w.end() !== undefined, 'the end of the watch');
    expect(w.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({ code: 410, reason: 'Expired' }),
      },
    ]);
    sim.change('cluster1', {
      op: 'delete',
      args: ['configmap', 'kube-system/compacted-away'],
    });
  });

  it('rejects with a network error when the connection is cut, after the events sent before', async () => {
    const path = '/api/v1/namespaces/kube-system/configmaps';
    const w = watching(path, await listVersion(path));
    await sim.setFaults('cluster1', { watch: { dropAfterEvents: 1 } });
    configMap('cut-after-me');
    await w.until(() => w.end() !== undefined, 'the cut');
    expect(w.events.map(e => e.type)).toEqual(['ADDED']);
    const error = w.end()!.error;
    expect(isKubeApiError(error)).toBe(true);
    expect((error as KubeApiError).isNetworkError).toBe(true);
    sim.change('cluster1', {
      op: 'delete',
      args: ['configmap', 'kube-system/cut-after-me'],
    });
  });

  it('rejects a watch that stays silent past idleTimeoutMs (no bookmarks, no events)', async () => {
    const path = '/api/v1/namespaces/kube-system/configmaps';
    const w = watching(path, await listVersion(path), {
      allowWatchBookmarks: false,
      idleTimeoutMs: 300,
    });
    await w.until(() => w.end() !== undefined, 'the idle timeout');
    expect((w.end()!.error as KubeApiError).details.reason).toBe('Idle');
  });

  it('rejects with the 403 of a forbidden watch, and a refused connection as a network error', async () => {
    const path = '/apis/networking.istio.io/v1/destinationrules';
    const rv = await listVersion(path);
    await sim.setFaults('cluster1', {
      forbidden: ['destinationrules.networking.istio.io'],
    });
    const forbidden = watching(path, rv);
    await forbidden.until(() => forbidden.end() !== undefined, 'the 403');
    expect((forbidden.end()!.error as KubeApiError).statusCode).toBe(403);
    expect((forbidden.end()!.error as KubeApiError).reason).toBe('Forbidden');

    await sim.setFaults('cluster1', { down: true });
    const refused = watching(path, rv);
    await refused.until(() => refused.end() !== undefined, 'the refusal');
    // Refused, or reset when the agent's pooled connection was closed with the port: no answer either way.
    expect((refused.end()!.error as KubeApiError).isNetworkError).toBe(true);
  });

  it('resolves credentials again after a 401, as every request does', async () => {
    let calls = 0;
    const renewing = createKubeClient(async () => {
      calls++;
      return kubeConfigOf(
        'cluster1',
        calls === 1 ? 'expired-token' : undefined,
      );
    });
    const path = '/api/v1/namespaces/kube-system/configmaps';
    const w = watching(path, await listVersion(path), {}, renewing);
    configMap('after-renewal');
    await w.until(() => w.events.length > 0, 'an event on new credentials');
    w.stop();
    expect(calls).toBe(2);
    sim.change('cluster1', {
      op: 'delete',
      args: ['configmap', 'kube-system/after-renewal'],
    });
  });
});
