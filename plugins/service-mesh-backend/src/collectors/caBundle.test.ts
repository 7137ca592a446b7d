import { readIntermediates } from './caBundle';
import { mapRootCA } from './rootCA';
import { MappingContext } from './objects';

// A root (self-signed) and an intermediate it issued (CA:TRUE, not self-signed), made with openssl for this test.
const ROOT = `-----BEGIN CERTIFICATE-----
MIIDTzCCAjegAwIBAgIUbBXh3zkbN/j9b2tmq+ugUprPJvEwDQYJKoZIhvcNAQEL
BQAwLzEWMBQGA1UECgwNY2x1c3Rlci5sb2NhbDEVMBMGA1UEAwwMUm9vdCBDQSAy
MDI2MB4XDTI2MTIwNzAxMjQzNFoXDTM2MTIwNDAxMjQzNFowLzEWMBQGA1UECgwN
Y2x1c3Rlci5sb2NhbDEVMBMGA1UEAwwMUm9vdCBDQSAyMDI2MIIBIjANBgkqhkiG
9w0BAQEFAAOCAQ8AMIIBCgKCAQEA+uu4j9uEhnBBQi1Ply+lAaSf67jZh/naXv8g
DixYyrJOzz/vUbdRQJHMW7QUfrIcdGkXHVusFEJLuTHVGZPnbErgdidCp37ox0Ok
SDNQkmIIXomVRC/qxRmUDjsRZsiObfuLRSHgolQx13ZDZ7aaIjSD2RDXNSbGaizL
58cmWZwxWeVGNLuumA2vKnTK2MYBVpp3sHjlXY6oJp31NuuDAUIUfmLl0aWq3fgK
YJHYQAKnEE2+mSjRmuJiUKWa7v9VSJoirfbpjoh/Jgknlrw2bPRzEjk4SJ6RnvZ2
5pb5ysPFVCOwwxmaD77dXpTXIxnz4BT5rOquG9q5ZXKc8Cv0+wIDAQABo2MwYTAd
BgNVHQ4EFgQUIv2EBRGyPcMGrSo8YOwzAwnPIIcwHwYDVR0jBBgwFoAUIv2EBRGy
PcMGrSo8YOwzAwnPIIcwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYw
DQYJKoZIhvcNAQELBQADggEBAAHgtNLKNLNS/dxkFRPxadUZzlFbRXSTp1Zu1Yd8
ctCF8tZg9H5QT+QnR63aeRMjVWgcTaS1E86Dp/BGJtq4CF0NJnoiC0T3aeYq5NDk
gfBkt+ll4FaAAdo6axYf5ANHfb28db4CRwfQN+5qMdcUKj80xIoLJpr9OGj4eItc
w5OLoerD1YChPZMSThZlrXoZfCEywcjHBk/+K1TewcGMb8901wwEeyRs5ZEWn9fR
CvkWDzuSd1o8qT4UfeG6lqBbytFwqV8gOLF4ZD/kvQpyMJUWAzIKCHjMo92aFWeL
zpga9Nk22HEGndATEOSYGg+N117KLPtrPnfsKQ6nyw5Dgqs=
-----END CERTIFICATE-----`;
const INTERMEDIATE = `-----BEGIN CERTIFICATE-----
MIIDWzCCAkOgAwIBAgIUeA4XQFkhbvEemDHGBI4X1Zju3NkwDQYJKoZIhvcNAQEL
BQAwLzEWMBQGA1UECgwNY2x1c3Rlci5sb2NhbDEVMBMGA1UEAwwMUm9vdCBDQSAy
MDI2MB4XDTI2MTIwNzAxMjQzNFoXDTI2MTIyNzAxMjQzNFowOzEWMBQGA1UECgwN
Y2x1c3Rlci5sb2NhbDEhMB8GA1UEAwwYSW50ZXJtZWRpYXRlIENBIGNsdXN0ZXIx
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzUaYzg59oVNs1p4BoWmw
wFsMRQFqiFRIffpqOnTSDIqy1JRcdfMSQNhItaoJrHWvzbL1b/PylcaCC6rzqLvR
0/UVKdq3/odeNavVfalssEmS/duEJeZmY2QN5t22Qt2hEcIGQh3NTRENHCiF3uZo
X1onQ327wNnQkZHTZQpS/1JVpv0xYUZ18CF1/MEtL8H0Kpm9GnV8Uy9XfI1EHdoL
HZkH1zI5Xl/1tNqtTgpxW+Jxw/10jax0sVcNTVRtohXD8j/iqzJbrRG3zN+blEhA
RSL0yIFLREFRLDV4JNUFnZ13zpMAOOu0wOrC7HDnDanNHeiu7VKxpY692P8enSVR
hwIDAQABo2MwYTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNV
HQ4EFgQUtV4TuXHZwAIIjt1N3+z2DFSVTtEwHwYDVR0jBBgwFoAUIv2EBRGyPcMG
rSo8YOwzAwnPIIcwDQYJKoZIhvcNAQELBQADggEBAGFCNKaNJSjwtNcroxQ8ExOk
6oGJqLsTlwIEudBNcZ0PbVYDCPdKX/PrkkwhdhVOHPOerctIZ0qsJGOKad3Dx1KC
OvhWf8iE8+Hd1CWzEmgnap3qEwbGMpgH+JcR9/zzTYsCMYJPIM2UP6ui80Fyu09J
b0gj89XOlPDlhYmSpZtCfasI/dWZ9OFVAY3dYohG5ootZyomABZSPbFivyrlIyBV
bW7F3UQUELF04VV/hrWvy90VT2faC8PUVC+mSB+kkqEICdaB+jRuJ9OZ+uDFtnFL
OinGLR+cuFMDGJDZrOffyeMobsh9F9L5UBdCsGikL/nAlxd135biwwG0nMzC6FU=
-----END CERTIFICATE-----`;

describe('readIntermediates', () => {
  it('keeps the CA certificates of the bundle that are not self-signed, with their expiry', () => {
    expect(readIntermediates(`${ROOT}\n${INTERMEDIATE}\n`)).toEqual([
      {
        fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
        subject: 'O=cluster.local, CN=Intermediate CA cluster1',
        issuer: 'O=cluster.local, CN=Root CA 2026',
        notAfter: '2026-12-27T01:24:34.000Z',
      },
    ]);
    expect(readIntermediates(ROOT)).toEqual([]);
    expect(
      readIntermediates(
        '-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----',
      ),
    ).toEqual([]);
  });

  it('is attached to the root CA read from istio-ca-root-cert, and absent without one', () => {
    const configMap = (pem: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio-ca-root-cert', namespace: 'istio-system' },
      data: { 'root-cert.pem': pem },
    });
    const withChain = mapRootCA(
      [configMap(`${ROOT}\n${INTERMEDIATE}`)],
      new MappingContext(),
    );
    expect(withChain?.subject).toBe('O=cluster.local, CN=Root CA 2026');
    expect(withChain?.intermediates?.map(i => i.subject)).toEqual([
      'O=cluster.local, CN=Intermediate CA cluster1',
    ]);
    expect(
      mapRootCA([configMap(ROOT)], new MappingContext()),
    ).not.toHaveProperty('intermediates');
  });
});
