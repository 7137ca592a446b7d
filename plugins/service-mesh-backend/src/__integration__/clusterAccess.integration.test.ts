/*
 * The snapshot over clusters with different auth providers (kube-sim's `auth` scenario and its fake cloud): the
 * server-side ones are read; a client-side provider, an unknown provider and missing credentials each give their
 * cluster a finding with the fix (MESH094/095/096), and the other clusters are read as usual.
 */
import { Finding } from '@internal/plugin-service-mesh-common';
import { RunningSimulator, startSimulator } from '@internal/kube-sim';
import path from 'node:path';
import { scenarioDir, snapshotServiceFor } from '../__testUtils__/kubeSim';

jest.setTimeout(60_000);

let sim: RunningSimulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: scenarioDir('auth'), port: 0 });
  Object.assign(process.env, sim.cloud.environment());
  process.env.CLOUDSDK_CONFIG = path.join(__dirname, 'no-gcloud-config');
});

afterAll(async () => {
  process.env = savedEnv;
  await sim?.stop();
});

it('reads the clusters it can, and names what to fix for the others', async () => {
  const cluster = (name: string, target: string, extra: object) => {
    const c = sim.clusters.find(x => x.name === target)!;
    return { name, url: c.httpsUrl, caData: c.caData, ...extra };
  };
  const service = snapshotServiceFor({
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            cluster('sa', 'sa', { serviceAccountToken: 'sa-token' }),
            cluster('aks', 'aks', { authProvider: 'azure' }),
            cluster('eks', 'eks', {
              authProvider: 'aws',
              authMetadata: { 'kubernetes.io/x-k8s-aws-id': 'eks-prod' },
            }),
            cluster('gke-user', 'gke', { authProvider: 'google' }),
            cluster('typo', 'sa', { authProvider: 'serviceAcount' }),
            // serviceAccount without a token, outside a pod: no credentials
            cluster('no-token', 'sa', { authProvider: 'serviceAccount' }),
          ],
        },
      ],
    },
    serviceMesh: { clusterTimeoutSeconds: 20 },
  });
  const { snapshot, findings } = await service.refresh();
  const status = Object.fromEntries(
    snapshot.clusters.map(c => [c.name, [c.status, c.error?.code]]),
  );
  expect(status).toEqual({
    sa: ['ok', undefined],
    aks: ['ok', undefined],
    eks: ['ok', undefined],
    'gke-user': ['error', 'MESH094'],
    typo: ['error', 'MESH095'],
    'no-token': ['error', 'MESH096'],
  });
  expect(sim.requestCount('gke')).toBe(0);

  const byCode = (code: string) =>
    findings.filter((f: Finding) => f.code === code);
  expect(byCode('MESH094')).toEqual([
    expect.objectContaining({
      severity: 'warning',
      clusters: ['gke-user'],
      hint: expect.stringContaining(
        "Configure gke-user with the server-side provider 'googleServiceAccount'",
      ),
    }),
  ]);
  expect(byCode('MESH095')[0]).toMatchObject({
    severity: 'error',
    clusters: ['typo'],
    message: expect.stringContaining("'serviceAcount'"),
  });
  expect(byCode('MESH096')[0]).toMatchObject({
    severity: 'error',
    clusters: ['no-token'],
    hint: expect.stringContaining('set serviceAccountToken'),
  });
  expect(JSON.stringify(snapshot)).not.toContain('sa-token');
});
