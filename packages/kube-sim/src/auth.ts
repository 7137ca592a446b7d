// Who may call a cluster: its service-account tokens, tokens the fake cloud issued (Entra ID for AKS, Google for
// GKE, with expiry), EKS-style presigned STS tokens, or nobody at all (as behind `kubectl proxy`).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isObject } from './json.ts';

/** How a cluster authenticates bearer tokens; set in clusters.yaml (`auth:`) or with setAuth(). */
export interface ClusterAuth {
  /** Service-account tokens accepted besides the cluster's `token` (which is always accepted). */
  tokens?: string[];
  /** Requests without credentials are served (the cluster sits behind `kubectl proxy`). */
  anonymous?: boolean;
  /**
   * EKS: `k8s-aws-v1.` tokens (presigned STS GetCallerIdentity URLs) signed for this cluster id by one of these
   * IAM identities of the fake cloud (user ARNs, or role ARNs for assumed-role credentials), as the cluster's
   * access entries / aws-auth map them.
   */
  aws?: { clusterId: string; identities: string[] };
  /** AKS with Entra ID: access tokens the fake cloud's identity endpoint issued for the AKS server application. */
  azure?: boolean;
  /** GKE: access tokens the fake cloud's metadata server issued. */
  google?: boolean;
}

/** The outcome of authenticating one request: who it is, or why it is refused (shown in the request log only). */
export type AuthResult =
  | { ok: true; user: string }
  | { ok: false; reason: string };

/** What the fake cloud knows about tokens and keys, for verifying them. */
export interface TokenAuthority {
  /** An access token it issued: its kind, subject, id and expiry. */
  issued(token: string):
    | {
        kind: 'azure' | 'google';
        subject: string;
        id: string;
        expiresAt: number;
      }
    | undefined;
  /** The secret (and session token, and IAM identity) of an AWS access key id. */
  awsKey(accessKeyId: string):
    | {
        secretAccessKey: string;
        sessionToken?: string;
        arn: string;
        expiresAt?: number;
      }
    | undefined;
  now(): number;
  /** How long a presigned STS URL is valid after its X-Amz-Date (EKS: 15 minutes). */
  presignedLifetimeMs: number;
}

export function normalizeAuth(value: unknown, where: string): ClusterAuth {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new Error(`${where}: auth must be an object`);
  const known = ['tokens', 'anonymous', 'aws', 'azure', 'google'];
  for (const key of Object.keys(value))
    if (!known.includes(key))
      throw new Error(
        `${where}: unknown auth key "${key}" (known: ${known.join(', ')})`,
      );
  const out: ClusterAuth = {};
  if (value.tokens !== undefined) {
    if (
      !Array.isArray(value.tokens) ||
      value.tokens.some(t => typeof t !== 'string' || !t)
    )
      throw new Error(`${where}: auth.tokens must be a list of tokens`);
    out.tokens = [...(value.tokens as string[])];
  }
  for (const flag of ['anonymous', 'azure', 'google'] as const) {
    if (value[flag] !== undefined) {
      if (typeof value[flag] !== 'boolean')
        throw new Error(`${where}: auth.${flag} must be true or false`);
      out[flag] = value[flag] as boolean;
    }
  }
  if (value.aws !== undefined) {
    const aws = value.aws;
    if (
      !isObject(aws) ||
      typeof aws.clusterId !== 'string' ||
      !Array.isArray(aws.identities) ||
      aws.identities.some(i => typeof i !== 'string')
    )
      throw new Error(
        `${where}: auth.aws must be { clusterId: <EKS cluster name>, identities: [<IAM ARN>, ...] }`,
      );
    out.aws = {
      clusterId: aws.clusterId,
      identities: [...(aws.identities as string[])],
    };
  }
  return out;
}

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
const EKS_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Authenticates the Authorization header of a request to a cluster. */
export function authenticate(
  header: string | undefined,
  staticToken: string,
  auth: ClusterAuth,
  authority: TokenAuthority | undefined,
): AuthResult {
  if (!header) {
    return auth.anonymous
      ? { ok: true, user: 'anonymous' }
      : { ok: false, reason: 'no credentials' };
  }
  const match = /^Bearer (.+)$/.exec(header);
  if (!match) return { ok: false, reason: 'not a bearer token' };
  const token = match[1];
  if (safeEqual(token, staticToken)) return { ok: true, user: 'token' };
  const extra = (auth.tokens ?? []).findIndex(t => safeEqual(token, t));
  if (extra >= 0) return { ok: true, user: `token:${extra + 1}` };
  if (token.startsWith(EKS_TOKEN_PREFIX)) {
    if (!auth.aws || !authority)
      return { ok: false, reason: 'this cluster does not accept EKS tokens' };
    const verified = verifyEksToken(token, auth.aws.clusterId, authority);
    if (!verified.ok) return verified;
    return auth.aws.identities.includes(verified.user)
      ? { ok: true, user: `aws:${verified.user}` }
      : { ok: false, reason: `${verified.user} has no access entry` };
  }
  const issued = authority?.issued(token);
  if (issued) {
    if (!auth[issued.kind])
      return {
        ok: false,
        reason: `this cluster does not accept ${issued.kind} tokens`,
      };
    if (authority!.now() >= issued.expiresAt)
      return { ok: false, reason: `${issued.kind} token ${issued.id} expired` };
    return { ok: true, user: `${issued.kind}:${issued.id}` };
  }
  return { ok: false, reason: 'unknown token' };
}

/**
 * What aws-iam-authenticator checks of a token before it asks STS (pkg/token/token.go, tokenVerifier.Verify:
 * prefix, base64url, https, an STS host, path `/`, only the whitelisted query parameters once each, Action
 * GetCallerIdentity, x-k8s-aws-id among the signed headers, X-Amz-Expires 0..900, X-Amz-Date at most 15 minutes
 * old); then, instead of calling STS, what STS checks: the SigV4 signature over the request with the
 * x-k8s-aws-id header set to this cluster's id, with the secret of the access key (and its session token).
 */
export function verifyEksToken(
  token: string,
  clusterId: string,
  authority: TokenAuthority,
): AuthResult {
  const bad = (reason: string): AuthResult => ({ ok: false, reason });
  if (token.length > 4096) return bad('token is too large');
  let url: URL;
  try {
    const decoded = Buffer.from(
      token.slice(EKS_TOKEN_PREFIX.length),
      'base64url',
    ).toString('utf8');
    url = new URL(decoded);
  } catch {
    return bad('token is not a base64url URL');
  }
  if (url.protocol !== 'https:')
    return bad(`unexpected scheme ${url.protocol} in pre-signed URL`);
  const host = /^sts(?:\.([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/.exec(
    url.host,
  );
  if (!host) return bad(`unexpected hostname ${url.host} in pre-signed URL`);
  if (url.pathname !== '/') return bad('unexpected path in pre-signed URL');
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    const lower = key.toLowerCase();
    if (!EKS_PARAMETERS.has(lower))
      return bad(`non-whitelisted query parameter ${key}`);
    if (params.has(lower)) return bad(`duplicate query parameter ${key}`);
    params.set(lower, value);
  }
  if (params.get('action') !== 'GetCallerIdentity')
    return bad('unexpected action parameter in pre-signed URL');
  const signedHeaders = (params.get('x-amz-signedheaders') ?? '').split(';');
  if (!signedHeaders.some(h => h.toLowerCase() === 'x-k8s-aws-id'))
    return bad('client did not sign the x-k8s-aws-id header');
  const expires = Number(params.get('x-amz-expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900)
    return bad('invalid X-Amz-Expires parameter in pre-signed URL');
  const date = parseAmzDate(params.get('x-amz-date') ?? '');
  if (date === undefined)
    return bad('X-Amz-Date parameter must be present in pre-signed URL');
  if (authority.now() > date + authority.presignedLifetimeMs)
    return bad('X-Amz-Date parameter is expired');
  if (params.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256')
    return bad('unexpected X-Amz-Algorithm');
  const [accessKeyId, shortDate, region, service, terminator] = (
    params.get('x-amz-credential') ?? ''
  ).split('/');
  if (service !== 'sts' || terminator !== 'aws4_request' || !region)
    return bad('malformed X-Amz-Credential');
  const key = authority.awsKey(accessKeyId);
  if (!key) return bad(`unknown access key ${accessKeyId}`);
  if (key.expiresAt !== undefined && authority.now() >= key.expiresAt)
    return bad(`the temporary credentials of ${accessKeyId} expired`);
  if (key.sessionToken !== params.get('x-amz-security-token'))
    return bad('wrong or missing X-Amz-Security-Token');

  // SigV4 as STS computes it, with the x-k8s-aws-id header the authenticator sends: its own cluster id.
  const headers: Record<string, string> = {
    host: url.host,
    'x-k8s-aws-id': clusterId,
  };
  const names = signedHeaders.map(h => h.toLowerCase()).sort();
  if (names.some(n => headers[n] === undefined))
    return bad(`cannot verify signed headers ${names.join(';')}`);
  const query = [...url.searchParams]
    .filter(([k]) => k.toLowerCase() !== 'x-amz-signature')
    .map(([k, v]) => [escapeUri(k), escapeUri(v)])
    .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    'GET',
    '/',
    query,
    `${names.map(n => `${n}:${headers[n].trim()}`).join('\n')}\n`,
    names.join(';'),
    EMPTY_SHA256,
  ].join('\n');
  const longDate = params.get('x-amz-date')!;
  const scope = `${shortDate}/${region}/sts/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    longDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let signingKey: Buffer = Buffer.from(`AWS4${key.secretAccessKey}`);
  for (const part of [shortDate, region, 'sts', 'aws4_request'])
    signingKey = createHmac('sha256', signingKey).update(part).digest();
  const expected = createHmac('sha256', signingKey)
    .update(toSign)
    .digest('hex');
  if (!safeEqual(expected, params.get('x-amz-signature') ?? ''))
    return bad(
      'signature does not match (signed for another cluster id, or another secret)',
    );
  return { ok: true, user: key.arn };
}

/** `20260512T080053Z` → epoch ms. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
