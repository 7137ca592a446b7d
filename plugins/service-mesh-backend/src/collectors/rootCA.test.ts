import {
  configMap,
  TEST_NEW_ROOT_CERT,
  TEST_NEW_ROOT_CERT_FINGERPRINT,
  TEST_ROOT_CERT,
  TEST_ROOT_CERT_FINGERPRINT,
} from '../__testUtils__/objects';
import { MappingContext } from './objects';
import { mapRootCA } from './rootCA';

describe('mapRootCA', () => {
  it('reads the SHA-256 fingerprint, subject and expiry of root-cert.pem', () => {
    const rootCA = mapRootCA(
      [
        configMap('istio', 'istio-system', {}),
        configMap('istio-ca-root-cert', 'istio-system', {
          'root-cert.pem': TEST_ROOT_CERT,
        }),
      ],
      new MappingContext(),
    );
    const root = {
      fingerprint: TEST_ROOT_CERT_FINGERPRINT,
      subject: 'O=cluster.local, CN=Root CA',
      notAfter: '2036-11-19T01:01:14.000Z',
    };
    expect(rootCA).toEqual({
      ...root,
      roots: [root],
      source: 'istio-system/istio-ca-root-cert',
    });
  });

  it('keeps every root of a bundle (a root rotation), skipping blocks that do not parse', () => {
    const other = {
      pem: TEST_NEW_ROOT_CERT,
      fingerprint: TEST_NEW_ROOT_CERT_FINGERPRINT,
    };
    const rootCA = mapRootCA(
      [
        configMap('istio-ca-root-cert', 'istio-system', {
          'root-cert.pem': `${other.pem}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n${TEST_ROOT_CERT}`,
        }),
      ],
      new MappingContext(),
    );
    expect(rootCA?.fingerprint).toBe(other.fingerprint);
    expect(rootCA?.roots?.map(r => r.fingerprint)).toEqual([
      other.fingerprint,
      TEST_ROOT_CERT_FINGERPRINT,
    ]);
    expect(rootCA?.error).toBeUndefined();
  });

  it('reports a missing or unparsable certificate instead of failing', () => {
    const ctx = new MappingContext();
    expect(mapRootCA([], ctx)).toBeUndefined();
    expect(
      mapRootCA([configMap('istio-ca-root-cert', 'istio-system', {})], ctx),
    ).toMatchObject({ fingerprint: '', error: 'root-cert.pem is missing' });
    expect(
      mapRootCA(
        [
          configMap('istio-ca-root-cert', 'istio-system', {
            'root-cert.pem':
              '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
          }),
        ],
        ctx,
      ),
    ).toMatchObject({
      fingerprint: '',
      error: expect.stringContaining('cannot be parsed'),
    });
  });
});
