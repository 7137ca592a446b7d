/*
 * Secret-looking fields of custom resources (an Alauda ServiceMesh carries `spec.redis.password`, see
 * packages/kube-sim/scenarios/demo/global/servicemeshes.yaml) are replaced
 * before anything is stored or returned. The rule errs on the side of redacting: a reference such as
 * `credentialName` is hidden too, which costs a little detail and never leaks a value.
 */

export const REDACTED = 'REDACTED';

const SECRET_KEY =
  /passw(or)?d|passphrase|secret|token|credential|authorization|bearer|cookie|private[-_]?key|api[-_]?key|access[-_]?key|client[-_]?key|signing[-_]?key|^(key|pass|pwd)$/i;
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** `scheme://user:password@host` */
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i;

/** True when a field of this name holds, or may hold, secret material. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy of `value` with secret-looking fields, private keys and URL credentials replaced. */
export function redactSecrets<T>(value: T): T {
  return redact(value, 0) as T;
}

function redact(value: unknown, depth: number): unknown {
  // Guard against pathological nesting rather than recurse without bound.
  if (depth > 64) return REDACTED;
  if (typeof value === 'string') {
    if (PRIVATE_KEY_PEM.test(value)) return REDACTED;
    return value.replace(URL_USERINFO, `$1${REDACTED}@`);
  }
  if (Array.isArray(value)) return value.map(v => redact(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] =
        isSecretKey(key) && v !== null && v !== undefined && v !== ''
          ? REDACTED
          : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
