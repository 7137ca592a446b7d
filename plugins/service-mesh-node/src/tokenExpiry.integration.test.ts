/*
 * Tokens with an expiry, from the fake cloud's token endpoints, against kube-sim (which refuses a token once it
 * expired): cluster access gets new ones without a restart, in new clients (each refresh) and in a long-lived
 * client (a watch), which resolves credentials again after the 401. Its own test file: MSAL caches managed
 * identity tokens process-wide, so every token here must be short-lived from the start.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { RunningSimulator, startSimulator } from '@internal/kube-sim';
import path from 'node:path';
import { DefaultServiceMeshClustersService } from './DefaultServiceMeshClustersService';

jest.setTimeout(60_000);

/** Long enough that one read finishes well within it on a loaded machine; the test waits for it to pass. */
const LIFETIME_SECONDS = 5;

let sim: RunningSimulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sim = await startSimulator({
    scenarioDir: path.join(
      path.dirname(require.resolve('@internal/kube-sim/package.json')),
      'scenarios/auth',
    ),
    port: 0,
  });
  sim.cloud.setTokenLifetime(LIFETIME_SECONDS);
  Object.assign(process.env, sim.cloud.environment());
  process.env.CLOUDSDK_CONFIG = path.join(__dirname, 'no-gcloud-config');
});

afterAll(async () => {
  process.env = savedEnv;
  await sim?.stop();
});

function access() {
  const cluster = (name: string, authProvider: string) => {
    const c = sim.clusters.find(x => x.name === name)!;
    return { name, url: c.httpsUrl, caData: c.caData, authProvider };
  };
  return DefaultServiceMeshClustersService.fromConfig({
    config: new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              cluster('aks', 'azure'),
              cluster('gke', 'googleServiceAccount'),
            ],
          },
        ],
      },
    }),
    logger: mockServices.logger.mock(),
  });
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 50));
}

it.each([
  ['aks', 'azure'],
  ['gke', 'google'],
])(
  'replaces the expired %s token without a restart, also in a long-lived client',
  async (name, kind) => {
    const clusters = access();
    const cluster = (await clusters.listClusters()).clusters.find(
      c => c.name === name,
    )!;
    const lastUser = () => sim.requestLog(name).at(-1)!.user;

    const client = clusters.createClient(cluster);
    expect(await client.list('/api/v1/namespaces')).toHaveLength(1);
    const first = lastUser();
    const firstToken = sim.cloud
      .issuedTokens()
      .find(t => `${kind}:${t.id}` === first);
    expect(firstToken).toMatchObject({ kind });
    expect(firstToken!.expiresAt - firstToken!.issuedAt).toBe(
      LIFETIME_SECONDS * 1000,
    );

    // Wait for the token's expiry itself: kube-sim refuses it from then on.
    await waitFor(() => Date.now() >= firstToken!.expiresAt);

    // A new client (the next refresh) gets a new token from the endpoint.
    expect(
      await clusters.createClient(cluster).list('/api/v1/namespaces'),
    ).toHaveLength(1);
    const second = lastUser();
    expect(second).toMatch(new RegExp(`^${kind}:${kind}-\\d+$`));
    expect(second).not.toBe(first);

    // The long-lived client still holds the expired token: one 401, new credentials, the same request again.
    expect(await client.list('/api/v1/namespaces')).toHaveLength(1);
    expect(
      sim
        .requestLog(name)
        .slice(-2)
        .map(e => [e.status, e.authError ?? e.user]),
    ).toEqual([
      [401, `${kind} token ${firstToken!.id} expired`],
      [200, expect.stringMatching(new RegExp(`^${kind}:${kind}-\\d+$`))],
    ]);
  },
);

it.each([
  ['aks', 'azure'],
  ['gke', 'google'],
])(
  'renews an expired %s token for raw GETs and port-forwards as for lists (one 401, then the real answer)',
  async (name, kind) => {
    const clusters = access();
    const cluster = (await clusters.listClusters()).clusters.find(
      c => c.name === name,
    )!;
    const rawClient = clusters.createClient(cluster);
    const forwardClient = clusters.createClient(cluster);
    await rawClient.list('/api/v1/namespaces');
    await forwardClient.list('/api/v1/namespaces');
    const held = sim
      .requestLog(name)
      .slice(-2)
      .map(e => e.user);
    const tokens = sim.cloud
      .issuedTokens()
      .filter(t => held.includes(`${kind}:${t.id}`));
    expect(tokens.length).toBeGreaterThan(0);
    await waitFor(() => tokens.every(t => Date.now() >= t.expiresAt));
    const renewedUser = expect.stringMatching(
      new RegExp(`^${kind}:${kind}-\\d+$`),
    );

    // The pod proxy of a pod that is not there: the API server's 401 first, then its 404 with new credentials.
    const raw = await rawClient.rawGet!(
      '/api/v1/namespaces/istio-system/pods/istiod-gone:15014/proxy/debug/syncz',
      { onChunk: () => {} },
    );
    expect(raw.statusCode).toBe(404);
    expect(
      sim
        .requestLog(name)
        .slice(-2)
        .map(e => [e.resource, e.status, e.authError ?? e.user]),
    ).toEqual([
      ['pods/proxy', 401, expect.stringMatching(/expired/)],
      ['pods/proxy', 404, renewedUser],
    ]);

    // The same for the port-forward's WebSocket upgrade.
    await expect(
      forwardClient.portForwardGet!(
        {
          namespace: 'istio-system',
          pod: 'istiod-gone',
          port: 15014,
          path: '/debug/syncz',
        },
        { onChunk: () => {} },
      ),
    ).rejects.toMatchObject({ name: 'KubeApiError', statusCode: 404 });
    expect(
      sim
        .requestLog(name)
        .slice(-2)
        .map(e => [e.resource, e.status, e.authError ?? e.user]),
    ).toEqual([
      ['pods/portforward', 401, expect.stringMatching(/expired/)],
      ['pods/portforward', 404, renewedUser],
    ]);
  },
);
