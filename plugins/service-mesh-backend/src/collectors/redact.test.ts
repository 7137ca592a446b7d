import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('replaces secret-looking fields at any depth and keeps the rest', () => {
    const spec = {
      cluster: 'cluster1',
      redis: {
        address: 'redis:6379',
        password: 'demo-redis-PASSWORD-do-not-leak',
        kind: 'sentinel',
      },
      elasticsearch: {
        url: 'https://es',
        basicAuth: { username: 'u', passwd: 'p' },
      },
      list: [{ apiKey: 'k1' }, { clientSecret: 's' }, { name: 'keep' }],
      oidc: { token: 't', privateKey: 'pk', credentialName: 'creds' },
      empty: { password: '' },
    };
    const out = redactSecrets(spec);
    expect(out.redis).toEqual({
      address: 'redis:6379',
      password: REDACTED,
      kind: 'sentinel',
    });
    expect(out.elasticsearch.basicAuth).toEqual({
      username: 'u',
      passwd: REDACTED,
    });
    expect(out.list).toEqual([
      { apiKey: REDACTED },
      { clientSecret: REDACTED },
      { name: 'keep' },
    ]);
    expect(out.oidc).toEqual({
      token: REDACTED,
      privateKey: REDACTED,
      credentialName: REDACTED,
    });
    expect(out.empty).toEqual({ password: '' });
    expect(JSON.stringify(out)).not.toContain(
      'demo-redis-PASSWORD-do-not-leak',
    );
    // The input is not modified.
    expect(spec.redis.password).toBe('demo-redis-PASSWORD-do-not-leak');
  });

  it('redacts a whole object under a secret key, PEM private keys and URL credentials', () => {
    const out = redactSecrets({
      auth: { secret: { name: 'x', value: 'y' } },
      cert: '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----',
      url: 'redis://admin:hunter2@redis:6379/0',
      plain: 'https://example.com/path',
    });
    expect(out.auth).toEqual({ secret: REDACTED });
    expect(out.cert).toBe(REDACTED);
    expect(out.url).toBe(`redis://${REDACTED}@redis:6379/0`);
    expect(out.plain).toBe('https://example.com/path');
  });
});
