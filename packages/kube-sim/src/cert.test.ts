import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createSecureContext, createServer } from 'node:tls';
import { integer, ipBytes, selfSignedCert } from './cert.ts';

describe('selfSignedCert', () => {
  it('encodes INTEGERs minimally (X.690 §8.3.2)', () => {
    const hex = (bytes: number[]) =>
      integer(Buffer.from(bytes)).toString('hex');
    expect(hex([2])).toBe('020102');
    expect(hex([0])).toBe('020100');
    expect(hex([0, 0])).toBe('020100');
    expect(hex([0, 0x7f])).toBe('02017f');
    expect(hex([0, 0, 0x80])).toBe('02020080');
    expect(hex([0x80, 1])).toBe('0203008001');
  });

  it('encodes iPAddress SANs in 4 or 16 octets', () => {
    expect(ipBytes('127.0.0.1').toString('hex')).toBe('7f000001');
    expect(ipBytes('::1').toString('hex')).toBe(`${'0'.repeat(31)}1`);
    expect(ipBytes('2001:db8::8a2e:370:7334').toString('hex')).toBe(
      '20010db80000000000008a2e03707334',
    );
    expect(ipBytes('::ffff:10.1.2.3').toString('hex')).toBe(
      '00000000000000000000ffff0a010203',
    );
    expect(() => ipBytes('example.com')).toThrow('not an IP address');
  });

  // One certificate per simulator start: a bad encoding that shows up once in a few hundred certificates fails a
  // demo or benchmark start at random. 3,000 certificates would have hit the old serial bug about 12 times.
  it('makes certificates that OpenSSL loads, every time (3,000 generated)', () => {
    const refused: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const { certPem, keyPem } = selfSignedCert('127.0.0.1');
      try {
        createSecureContext({ cert: certPem, key: keyPem });
        const cert = new X509Certificate(certPem);
        if (!/^(0[1-9A-F]|[1-7][0-9A-F])[0-9A-F]{30}$/.test(cert.serialNumber))
          refused.push(`serial ${cert.serialNumber}`);
      } catch (e) {
        refused.push(`${(e as Error).message}\n${certPem}`);
      }
    }
    expect(refused).toEqual([]);
  }, 300_000);

  it('serves TLS that a client verifying the certificate accepts, by name and by IP', async () => {
    const first = selfSignedCert('127.0.0.1');
    const server = createServer({ cert: first.certPem, key: first.keyPem }, s =>
      s.end('ok'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const handshake = async (ca: string, servername?: string) => {
      const socket = connect({ host: '127.0.0.1', port, ca, servername });
      try {
        await once(socket, 'secureConnect');
        let body = '';
        socket.setEncoding('utf8').on('data', d => (body += d));
        await once(socket, 'end');
        return body;
      } finally {
        socket.destroy();
      }
    };
    try {
      for (let i = 0; i < 100; i++) {
        const { certPem, keyPem } = i ? selfSignedCert('127.0.0.1') : first;
        server.setSecureContext({ cert: certPem, key: keyPem });
        await expect(
          handshake(certPem, i % 2 ? 'localhost' : undefined),
        ).resolves.toBe('ok');
      }
      // and a certificate that is not the server's is refused: the client really verifies
      await expect(
        handshake(selfSignedCert('127.0.0.1').certPem, 'localhost'),
      ).rejects.toThrow(/self-signed|signature|verify/i);
    } finally {
      server.close();
      await once(server, 'close');
    }
  }, 300_000);
});
