// A fake cloud on one loopback port, for the server-side auth providers of Backstage's Kubernetes plugin: it
// issues expiring access tokens the simulated clusters accept, as the real token endpoints do.
// - Azure: the App Service managed identity endpoint (IDENTITY_ENDPOINT/IDENTITY_HEADER, api-version 2019-08-01),
//   which @azure/identity's DefaultAzureCredential uses through MSAL's ManagedIdentityApplication.
// - Google: the GCE/GKE metadata server (GCE_METADATA_HOST): /computeMetadata/v1/instance/service-accounts/default/token,
//   which google-auth-library uses for Application Default Credentials; and the GKE API's
//   GET /v1/projects/{project}/locations/{location}/clusters (REST, as @google-cloud/container's fallback mode).
// - AWS: STS AssumeRole (AWS_ENDPOINT_URL_STS=<url>/aws/sts), with the role's trust and external id checked,
//   issuing temporary credentials whose presigned tokens the clusters verify (auth.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { isObject } from './json.ts';
import type { TokenAuthority } from './auth.ts';

/** The AKS server application: the audience (resource) of Entra ID tokens for AKS clusters. */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const DEFAULT_IDENTITY_HEADER = 'kube-sim-identity-header';
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** aws-iam-authenticator: presigned URLs expire 15 minutes after X-Amz-Date (pkg/token/token.go). */
const PRESIGNED_LIFETIME_SECONDS = 15 * 60;

export interface CloudSpec {
  /** Lifetime of issued access tokens and temporary AWS credentials. Default 3600. */
  tokenLifetimeSeconds?: number;
  aws?: {
    users?: Array<{
      arn: string;
      accessKeyId: string;
      secretAccessKey: string;
    }>;
    roles?: Array<{ arn: string; externalId?: string; trusts: string[] }>;
  };
  azure?: { identityHeader?: string };
  google?: { serviceAccount?: string; projectId?: string };
}

/** A simulated cluster as the GKE API lists it. */
export interface GkeCluster {
  name: string;
  location: string;
  labels: Record<string, string>;
  /** `host:port` */
  endpoint: string;
  caData?: string;
}

export interface IssuedToken {
  id: string;
  kind: 'azure' | 'google';
  subject: string;
  issuedAt: number;
  expiresAt: number;
}

export function normalizeCloud(value: unknown, where: string): CloudSpec {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new Error(`${where}: cloud must be an object`);
  const spec = value as CloudSpec;
  if (
    spec.tokenLifetimeSeconds !== undefined &&
    !(
      typeof spec.tokenLifetimeSeconds === 'number' &&
      spec.tokenLifetimeSeconds > 0
    )
  )
    throw new Error(
      `${where}: cloud.tokenLifetimeSeconds must be a positive number`,
    );
  for (const u of spec.aws?.users ?? [])
    if (!u.arn || !u.accessKeyId || !u.secretAccessKey)
      throw new Error(
        `${where}: cloud.aws.users need arn, accessKeyId and secretAccessKey`,
      );
  for (const r of spec.aws?.roles ?? [])
    if (!r.arn || !Array.isArray(r.trusts))
      throw new Error(
        `${where}: cloud.aws.roles need arn and trusts (user ARNs)`,
      );
  return structuredClone(spec);
}

export class FakeCloud implements TokenAuthority {
  readonly host: string;
  port = 0;
  readonly presignedLifetimeMs = PRESIGNED_LIFETIME_SECONDS * 1000;
  private spec: CloudSpec;
  private lifetimeMs: number;
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly awsTemporary = new Map<
    string,
    {
      secretAccessKey: string;
      sessionToken: string;
      arn: string;
      expiresAt: number;
    }
  >();
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private gke: () => GkeCluster[];
  /** Requests the cloud answered, oldest first (method, path, status). */
  readonly log: Array<{ method: string; path: string; status: number }> = [];

  constructor(spec: CloudSpec, host: string, gke: () => GkeCluster[]) {
    this.spec = spec;
    this.host = host;
    this.gke = gke;
    this.lifetimeMs =
      (spec.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS) * 1000;
  }

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${
      this.port
    }`;
  }

  /** What a backend needs in its environment to use this cloud (the variables the SDKs read). */
  environment(): Record<string, string> {
    const user = this.spec.aws?.users?.[0];
    return {
      IDENTITY_ENDPOINT: `${this.url}/azure/msi/token`,
      IDENTITY_HEADER:
        this.spec.azure?.identityHeader ?? DEFAULT_IDENTITY_HEADER,
      GCE_METADATA_HOST: this.url.replace(/^http:\/\//, ''),
      AWS_ENDPOINT_URL_STS: `${this.url}/aws/sts`,
      AWS_REGION: 'us-east-1',
      ...(user
        ? {
            AWS_ACCESS_KEY_ID: user.accessKeyId,
            AWS_SECRET_ACCESS_KEY: user.secretAccessKey,
          }
        : {}),
    };
  }

  now(): number {
    return Date.now();
  }

  setTokenLifetime(seconds: number): void {
    this.lifetimeMs = seconds * 1000;
  }

  issuedTokens(): IssuedToken[] {
    return [...this.tokens.values()].map(t => ({ ...t }));
  }

  issued(token: string) {
    return this.tokens.get(token);
  }

  awsKey(accessKeyId: string) {
    const user = this.spec.aws?.users?.find(u => u.accessKeyId === accessKeyId);
    if (user) return { secretAccessKey: user.secretAccessKey, arn: user.arn };
    return this.awsTemporary.get(accessKeyId);
  }

  private issue(
    kind: IssuedToken['kind'],
    subject: string,
  ): { token: string; issued: IssuedToken } {
    const token = `kube-sim-${kind}-${randomBytes(18).toString('base64url')}`;
    const issuedAt = this.now();
    const issued: IssuedToken = {
      id: `${kind}-${this.tokens.size + 1}`,
      kind,
      subject,
      issuedAt,
      expiresAt: issuedAt + this.lifetimeMs,
    };
    this.tokens.set(token, issued);
    return { token, issued };
  }

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      this.dispatch(req, res).catch(e => {
        if (!res.headersSent)
          json(res, 500, { error: String(e?.message ?? e) });
        else res.destroy();
      });
    });
    server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kube-sim-cloud');
    const method = (req.method ?? 'GET').toUpperCase();
    res.on('finish', () =>
      this.log.push({ method, path: url.pathname, status: res.statusCode }),
    );
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/azure/msi/token' && method === 'GET') {
      this.azure(req, res, url);
      return;
    }
    if (path.startsWith('/computeMetadata/v1')) {
      this.metadata(req, res, path);
      return;
    }
    if (path === '/aws/sts' && method === 'POST') {
      await this.sts(req, res);
      return;
    }
    const gke = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters$/.exec(
      path,
    );
    if (gke && method === 'GET') {
      this.gkeClusters(req, res, gke[1], gke[2]);
      return;
    }
    if (path === '/_sim/tokens' && method === 'GET') {
      json(res, 200, { items: this.issuedTokens() });
      return;
    }
    json(res, 404, { error: `kube-sim cloud: no ${method} ${path}` });
  }

  // App Service managed identity, as MSAL's AppService source calls it.
  private azure(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const expected = this.spec.azure?.identityHeader ?? DEFAULT_IDENTITY_HEADER;
    if (req.headers['x-identity-header'] !== expected) {
      json(res, 401, { error: 'invalid_identity_header' });
      return;
    }
    const resource = url.searchParams.get('resource') ?? '';
    if (resource.replace(/\/\.default$/, '') !== AKS_SERVER_APP_ID) {
      json(res, 400, {
        error: 'invalid_resource',
        error_description: `kube-sim issues tokens for the AKS server application ${AKS_SERVER_APP_ID} only, not ${resource}`,
      });
      return;
    }
    const { token, issued } = this.issue('azure', 'managed-identity');
    json(res, 200, {
      access_token: token,
      expires_on: String(Math.floor(issued.expiresAt / 1000)),
      resource: AKS_SERVER_APP_ID,
      token_type: 'Bearer',
      client_id: 'kube-sim-managed-identity',
    });
  }

  // The GCE/GKE metadata server: answers only with `Metadata-Flavor: Google`, as google-auth-library expects.
  private metadata(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): void {
    if (req.headers['metadata-flavor'] !== 'Google') {
      json(res, 403, {
        error: 'Missing Metadata-Flavor: Google header',
      });
      return;
    }
    res.setHeader('Metadata-Flavor', 'Google');
    const account =
      this.spec.google?.serviceAccount ??
      'backstage@kube-sim.iam.gserviceaccount.com';
    const rest = path.slice('/computeMetadata/v1'.length);
    if (rest === '/instance' || rest === '') {
      text(res, 200, 'attributes/\nservice-accounts/\n');
      return;
    }
    if (rest === '/project/project-id') {
      text(res, 200, this.spec.google?.projectId ?? 'kube-sim');
      return;
    }
    if (rest === '/instance/service-accounts/default/email') {
      text(res, 200, account);
      return;
    }
    if (rest === '/instance/service-accounts/default/token') {
      const { token, issued } = this.issue('google', account);
      json(res, 200, {
        access_token: token,
        expires_in: Math.round((issued.expiresAt - issued.issuedAt) / 1000),
        token_type: 'Bearer',
      });
      return;
    }
    text(res, 404, 'not found');
  }

  private async sts(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = new URLSearchParams(await readBody(req));
    const fail = (status: number, code: string, message: string) =>
      xml(
        res,
        status,
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(
          message,
        )}</Message></Error><RequestId>${randomBytes(8).toString(
          'hex',
        )}</RequestId></ErrorResponse>`,
      );
    const action = body.get('Action');
    if (action !== 'AssumeRole' && action !== 'GetCallerIdentity') {
      fail(
        400,
        'InvalidAction',
        `kube-sim STS serves AssumeRole and GetCallerIdentity only, not ${body.get(
          'Action',
        )}`,
      );
      return;
    }
    // Who calls: the access key of the SigV4 Authorization header (its signature is not checked here).
    const credential = /Credential=([^/,\s]+)\//.exec(
      req.headers.authorization ?? '',
    )?.[1];
    const caller = credential ? this.awsKey(credential) : undefined;
    if (!caller) {
      fail(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
      return;
    }
    if (action === 'GetCallerIdentity') {
      // The caller's own identity (the AWS SDK and Backstage's credentials manager ask it for the account id).
      const account = caller.arn.split(':')[4] ?? '';
      xml(
        res,
        200,
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${escapeXml(
          caller.arn,
        )}</Arn><UserId>${escapeXml(
          credential!,
        )}</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomBytes(
          8,
        ).toString(
          'hex',
        )}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
      return;
    }
    const roleArn = body.get('RoleArn') ?? '';
    const role = this.spec.aws?.roles?.find(r => r.arn === roleArn);
    if (!role || !role.trusts.includes(caller.arn)) {
      fail(
        403,
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
      return;
    }
    if ((role.externalId ?? null) !== (body.get('ExternalId') ?? null)) {
      fail(
        403,
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn} (external id)`,
      );
      return;
    }
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const secretAccessKey = randomBytes(30).toString('base64');
    const sessionToken = randomBytes(48).toString('base64');
    const expiresAt = this.now() + this.lifetimeMs;
    this.awsTemporary.set(accessKeyId, {
      secretAccessKey,
      sessionToken,
      arn: role.arn,
      expiresAt,
    });
    const session = body.get('RoleSessionName') ?? 'session';
    const [, , , , account, resource] = role.arn.split(':');
    xml(
      res,
      200,
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${escapeXml(
        secretAccessKey,
      )}</SecretAccessKey><SessionToken>${escapeXml(
        sessionToken,
      )}</SessionToken><Expiration>${new Date(
        expiresAt,
      ).toISOString()}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAKUBESIM:${escapeXml(
        session,
      )}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-${escapeXml(
        resource ?? 'role',
      )}/${escapeXml(
        session,
      )}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${randomBytes(
        8,
      ).toString('hex')}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  private gkeClusters(
    req: IncomingMessage,
    res: ServerResponse,
    project: string,
    location: string,
  ): void {
    const token =
      /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const issued = this.tokens.get(token);
    if (!issued || issued.kind !== 'google' || this.now() >= issued.expiresAt) {
      json(res, 401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      });
      return;
    }
    const expectedProject = this.spec.google?.projectId ?? 'kube-sim';
    if (project !== expectedProject) {
      json(res, 403, {
        error: {
          code: 403,
          message: `Permission denied on project ${project}`,
          status: 'PERMISSION_DENIED',
        },
      });
      return;
    }
    const clusters = this.gke()
      .filter(c => location === '-' || c.location === location)
      .map(c => ({
        name: c.name,
        location: c.location,
        endpoint: c.endpoint,
        resourceLabels: c.labels,
        status: 'RUNNING',
        ...(c.caData ? { masterAuth: { clusterCaCertificate: c.caData } } : {}),
      }));
    json(res, 200, { clusters });
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res
    .writeHead(status, { 'Content-Type': 'application/json' })
    .end(JSON.stringify(value));
}

function text(res: ServerResponse, status: number, value: string): void {
  res.writeHead(status, { 'Content-Type': 'application/text' }).end(value);
}

function xml(res: ServerResponse, status: number, value: string): void {
  res.writeHead(status, { 'Content-Type': 'text/xml' }).end(value);
}

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
