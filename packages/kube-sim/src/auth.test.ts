// Per-cluster authentication and the fake cloud, over real HTTP: service-account tokens, EKS presigned STS
// tokens (signed with @smithy/signature-v4, as the Kubernetes plugin's AwsIamStrategy does), issued Entra ID and
// Google tokens with expiry, STS AssumeRole, the GKE API, anonymous access.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyEksToken } from './auth.ts';
import { appConfigFragment, startSimulator } from './simulator.ts';
import type { RunningSimulator } from './types.ts';
import { cluster, scenarioDir } from './__testUtils__/sim.ts';

jest.setTimeout(30_000);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: scenarioDir('auth') });
});
afterAll(async () => {
  await sim?.stop();
});

const USER = {
  accessKeyId: 'AKIAKUBESIMBACKSTAGE',
  secretAccessKey: 'kube-sim-not-a-secret-aws-key',
};

/** The EKS token of the Kubernetes plugin's AwsIamStrategy (plugins/kubernetes-backend/src/auth/AwsIamStrategy.ts). */
async function eksToken(
  clusterId: string,
  options: {
    credentials?: {
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
    };
    signingDate?: Date;
    expiresIn?: number;
    signClusterId?: boolean;
    host?: string;
  } = {},
): Promise<string> {
  const region = 'us-east-1';
  const host = options.host ?? `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials: options.credentials ?? USER,
    region,
    service: 'sts',
    sha256: Sha256,
  });
  const request = await signer.presign(
    {
      headers: {
        host,
        ...(options.signClusterId === false
          ? {}
          : { 'x-k8s-aws-id': clusterId }),
      },
      hostname: host,
      method: 'GET',
      path: '/',
      protocol: 'https:',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: options.expiresIn ?? 0, signingDate: options.signingDate },
  );
  const query = Object.entries(request.query ?? {})
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`,
    )
    .join('&');
  return `k8s-aws-v1.${Buffer.from(
    `https://${request.hostname}${request.path}?${query}`,
  ).toString('base64url')}`;
}

async function get(name: string, token?: string, path = '/api/v1/namespaces') {
  const res = await fetch(`${cluster(sim, name).url}${path}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const log = sim.requestLog(name);
  return { status: res.status, entry: log[log.length - 1] };
}

describe('cluster authentication', () => {
  it('accepts the cluster token and the extra service-account tokens, nothing else', async () => {
    expect(await get('sa', 'sa-token')).toMatchObject({
      status: 200,
      entry: { user: 'token' },
    });
    expect(await get('sa', 'rotated-sa-token')).toMatchObject({
      status: 200,
      entry: { user: 'token:1' },
    });
    expect(await get('sa', 'kube-sim-eks-token')).toMatchObject({
      status: 401,
      entry: { authError: 'unknown token' },
    });
    expect((await get('sa')).status).toBe(401);
    // behind kubectl proxy: no credentials needed
    expect(await get('local')).toMatchObject({
      status: 200,
      entry: { user: 'anonymous' },
    });
  });

  it('verifies an EKS token: signed for this cluster id by a mapped identity, not expired', async () => {
    expect(await get('eks', await eksToken('eks-prod'))).toMatchObject({
      status: 200,
      entry: { user: 'aws:arn:aws:iam::111122223333:user/backstage' },
    });
    // The right format, but signed for another cluster: STS would refuse the signature.
    expect(await get('eks', await eksToken('eks-staging'))).toMatchObject({
      status: 401,
      entry: { authError: expect.stringContaining('signature does not match') },
    });
    // A valid token of a user the cluster does not map.
    expect(await get('eks-role', await eksToken('eks-role'))).toMatchObject({
      status: 401,
      entry: { authError: expect.stringContaining('has no access entry') },
    });
    const sixteenMinutesAgo = new Date(Date.now() - 16 * 60 * 1000);
    expect(
      await get(
        'eks',
        await eksToken('eks-prod', { signingDate: sixteenMinutesAgo }),
      ),
    ).toMatchObject({
      status: 401,
      entry: { authError: 'X-Amz-Date parameter is expired' },
    });
  });

  it.each([
    [{ signClusterId: false }, 'client did not sign the x-k8s-aws-id header'],
    [{ expiresIn: 901 }, 'invalid X-Amz-Expires parameter in pre-signed URL'],
    [{ host: 'sts.evil.example.com' }, 'unexpected hostname'],
    [
      {
        credentials: {
          accessKeyId: 'AKIAUNKNOWN',
          secretAccessKey: 'x',
        },
      },
      'unknown access key AKIAUNKNOWN',
    ],
  ])('refuses a malformed EKS token (%o)', async (options, reason) => {
    const result = verifyEksToken(
      await eksToken('eks-prod', options),
      'eks-prod',
      {
        issued: () => undefined,
        awsKey: id =>
          id === USER.accessKeyId ? { ...USER, arn: 'arn' } : undefined,
        now: () => Date.now(),
        presignedLifetimeMs: 15 * 60 * 1000,
      },
    );
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining(reason),
    });
  });

  it('refuses a token that is not a presigned https STS URL', () => {
    const authority = {
      issued: () => undefined,
      awsKey: () => undefined,
      now: () => Date.now(),
      presignedLifetimeMs: 900_000,
    };
    const wrap = (url: string) =>
      `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
    expect(
      verifyEksToken(
        wrap('http://sts.amazonaws.com/?Action=GetCallerIdentity'),
        'c',
        authority,
      ),
    ).toMatchObject({ reason: 'unexpected scheme http: in pre-signed URL' });
    expect(
      verifyEksToken(
        wrap('https://sts.amazonaws.com/?Action=AssumeRole'),
        'c',
        authority,
      ),
    ).toMatchObject({
      reason: 'unexpected action parameter in pre-signed URL',
    });
    expect(
      verifyEksToken(
        wrap('https://sts.amazonaws.com/?Action=GetCallerIdentity&Foo=1'),
        'c',
        authority,
      ),
    ).toMatchObject({ reason: 'non-whitelisted query parameter Foo' });
  });
});

describe('the fake cloud', () => {
  const cloud = () => sim.cloud.url;

  it('issues Entra ID tokens for AKS from the managed identity endpoint; they expire', async () => {
    const env = sim.cloud.environment();
    expect(
      (
        await fetch(
          `${
            env.IDENTITY_ENDPOINT
          }?api-version=2019-08-01&resource=${'6dae42f8-4368-4678-94ff-3960e28e3630'}`,
        )
      ).status,
    ).toBe(401); // no X-IDENTITY-HEADER
    const wrongResource = await fetch(
      `${env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://management.azure.com`,
      { headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER } },
    );
    expect(wrongResource.status).toBe(400);
    const issue = async () =>
      (await (
        await fetch(
          `${env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=6dae42f8-4368-4678-94ff-3960e28e3630`,
          { headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER } },
        )
      ).json()) as { access_token: string; expires_on: string };
    const token = await issue();
    expect(Number(token.expires_on) * 1000).toBeGreaterThan(Date.now());
    expect(await get('aks', token.access_token)).toMatchObject({
      status: 200,
      entry: { user: expect.stringMatching(/^azure:azure-\d+$/) },
    });
    // Only AKS accepts it.
    expect((await get('gke', token.access_token)).status).toBe(401);

    sim.cloud.setTokenLifetime(0);
    try {
      const expired = await issue();
      expect(await get('aks', expired.access_token)).toMatchObject({
        status: 401,
        entry: {
          authError: expect.stringMatching(/azure token azure-\d+ expired/),
        },
      });
    } finally {
      sim.cloud.setTokenLifetime(3600);
    }
  });

  it('serves Google tokens as the metadata server, and the GKE API lists the gke clusters', async () => {
    const base = `http://${
      sim.cloud.environment().GCE_METADATA_HOST
    }/computeMetadata/v1`;
    expect(
      (await fetch(`${base}/instance/service-accounts/default/token`)).status,
    ).toBe(403);
    const flavor = { 'Metadata-Flavor': 'Google' };
    const probe = await fetch(`${base}/instance`, { headers: flavor });
    expect(probe.headers.get('metadata-flavor')).toBe('Google');
    const token = (await (
      await fetch(`${base}/instance/service-accounts/default/token`, {
        headers: flavor,
      })
    ).json()) as { access_token: string; expires_in: number };
    expect(token.expires_in).toBe(3600);
    expect((await get('gke', token.access_token)).status).toBe(200);

    const list = (location: string, bearer?: string) =>
      fetch(
        `${cloud()}/v1/projects/mesh-project/locations/${location}/clusters`,
        { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} },
      );
    expect((await list('-')).status).toBe(401);
    const all = (await (await list('-', token.access_token)).json()) as {
      clusters: any[];
    };
    expect(
      all.clusters.map(c => [c.name, c.location, c.resourceLabels]),
    ).toEqual([
      ['gke', 'europe-west1', { mesh: 'prod' }],
      ['gke-other', 'us-central1', { mesh: 'dev' }],
    ]);
    expect(all.clusters[0]).toMatchObject({
      endpoint: cluster(sim, 'gke').url.replace('http://', ''),
      masterAuth: { clusterCaCertificate: cluster(sim, 'gke').caData },
    });
    const europe = (await (
      await list('europe-west1', token.access_token)
    ).json()) as { clusters: any[] };
    expect(europe.clusters.map(c => c.name)).toEqual(['gke']);
  });

  it('assumes a role for a trusted user with the external id; its credentials sign EKS tokens', async () => {
    const assume = async (
      externalId?: string,
      accessKeyId = USER.accessKeyId,
    ) => {
      const res = await fetch(
        `${sim.cloud.environment().AWS_ENDPOINT_URL_STS}/`,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00`,
          },
          body: new URLSearchParams({
            Action: 'AssumeRole',
            Version: '2011-06-15',
            RoleArn: 'arn:aws:iam::444455556666:role/mesh-reader',
            RoleSessionName: 'backstage',
            ...(externalId ? { ExternalId: externalId } : {}),
          }),
        },
      );
      return { status: res.status, body: await res.text() };
    };
    expect((await assume()).body).toContain('<Code>AccessDenied</Code>');
    expect((await assume('wrong')).status).toBe(403);
    expect((await assume('mesh-external-id', 'AKIAOTHER')).body).toContain(
      'InvalidClientTokenId',
    );
    const ok = await assume('mesh-external-id');
    expect(ok.status).toBe(200);
    const field = (name: string) =>
      new RegExp(`<${name}>([^<]+)</${name}>`).exec(ok.body)![1];
    const credentials = {
      accessKeyId: field('AccessKeyId'),
      secretAccessKey: field('SecretAccessKey'),
      sessionToken: field('SessionToken'),
    };
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(
      await get('eks-role', await eksToken('eks-role', { credentials })),
    ).toMatchObject({
      status: 200,
      entry: { user: 'aws:arn:aws:iam::444455556666:role/mesh-reader' },
    });
    // Without the session token, the temporary key is refused.
    expect(
      await get(
        'eks-role',
        await eksToken('eks-role', {
          credentials: { ...credentials, sessionToken: undefined },
        }),
      ),
    ).toMatchObject({
      status: 401,
      entry: { authError: 'wrong or missing X-Amz-Security-Token' },
    });
  });

  it('changes who may call a cluster at run time', async () => {
    expect((await get('local')).status).toBe(200);
    const before = sim.auth('local');
    sim.setAuth('local', {});
    try {
      expect((await get('local')).status).toBe(401);
    } finally {
      sim.setAuth('local', before);
    }
  });
});

describe('catalog-located clusters in the app-config fragment', () => {
  it('leaves a cluster served on its catalog port out of the config locator and enables the catalog locator', async () => {
    const probe = await new Promise<number>(res => {
      const s = require('node:net').createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = s.address().port;
        s.close(() => res(port));
      });
    });
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-catalog-'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(
      join(dir, 'clusters.yaml'),
      `clusters:\n  - name: a\n  - name: b\n    port: ${probe}\n    locator: catalog\n`,
    );
    try {
      const pinned = await startSimulator({
        scenarioDir: dir,
        scenarioPorts: true,
      });
      try {
        expect(appConfigFragment(pinned)).toMatchObject({
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [{ name: 'a' }] },
              {
                type: 'catalog',
                dangerouslyAllowClusterUrls: ['127.0.0.1'],
                dangerouslyAllowSkipTLSVerify: true,
              },
            ],
          },
        });
        expect(cluster(pinned, 'b').url).toBe(`http://127.0.0.1:${probe}`);
      } finally {
        await pinned.stop();
      }
      // On another port, the entity's URL would be wrong: the cluster stays in the config locator.
      const free = await startSimulator({ scenarioDir: dir });
      try {
        const fragment = appConfigFragment(free) as any;
        expect(fragment.kubernetes.clusterLocatorMethods).toHaveLength(1);
        expect(
          fragment.kubernetes.clusterLocatorMethods[0].clusters.map(
            (c: any) => c.name,
          ),
        ).toEqual(['a', 'b']);
      } finally {
        await free.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
