// A self-signed serving certificate made at start (P-256 key, SANs for loopback), without dependencies: a few DER
// helpers and crypto.sign. kubectl sends bearer tokens only over TLS, so each cluster port also speaks HTTPS.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

// DER (X.690 §10): definite lengths in the fewest octets. Nothing here comes near 64 KiB.
const der = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  const len = body.length;
  if (len > 0xffff) throw new Error(`DER value of ${len} bytes is too long`);
  let head = Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  if (len < 0x80) head = Buffer.from([tag, len]);
  else if (len < 0x100) head = Buffer.from([tag, 0x81, len]);
  return Buffer.concat([head, body]);
};
/**
 * A non-negative INTEGER from big-endian bytes, in DER's minimal two's complement (X.690 §8.3.2): leading zero
 * bytes dropped, one 0x00 kept in front of a set high bit. OpenSSL refuses anything longer ("illegal padding").
 */
export const integer = (unsigned: Buffer): Buffer => {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  const body = unsigned.subarray(i);
  return der(
    0x02,
    body.length && body[0] & 0x80 ? Buffer.from([0]) : Buffer.alloc(0),
    body.length ? body : Buffer.from([0]),
  );
};
const seq = (...parts: Buffer[]) => der(0x30, ...parts);
const set = (...parts: Buffer[]) => der(0x31, ...parts);
const octets = (b: Buffer) => der(0x04, b);
const bits = (b: Buffer, unused = 0) => der(0x03, Buffer.from([unused]), b);
const bool = (v: boolean) => der(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const enc = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) enc.unshift((v & 0x7f) | 0x80);
    bytes.push(...enc);
  }
  return der(0x06, Buffer.from(bytes));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return d.getUTCFullYear() < 2050
    ? der(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : der(0x18, Buffer.from(`${iso}Z`));
}

/** The 4 or 16 octets of an iPAddress SAN (RFC 5280 §4.2.1.6), including IPv6 with an embedded IPv4 tail. */
export function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6) throw new Error(`not an IP address: ${ip}`);
  const words = (part: string) =>
    part
      ? part.split(':').flatMap(g => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        })
      : [];
  const [head, tail] = ip.split('::');
  const h = words(head);
  const t = words(tail ?? '');
  const groups = [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return Buffer.concat(groups.map(g => Buffer.from([g >> 8, g & 0xff])));
}

export interface ServingCert {
  certPem: string;
  keyPem: string;
}

/** A self-signed certificate for `localhost`, 127.0.0.1, ::1 and the given host, valid for ten years. */
export function selfSignedCert(host: string): ServingCert {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
  });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));
  const name = seq(rdn('2.5.4.10', 'kube-sim'), rdn('2.5.4.3', 'kube-sim'));
  const hosts = new Set(['localhost', '127.0.0.1', '::1', host]);
  const altNames = [...hosts].map(h =>
    isIP(h) ? der(0x87, ipBytes(h)) : der(0x82, Buffer.from(h)),
  );
  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; integer() keeps its encoding minimal.
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  const now = Date.now();
  const tbs = seq(
    der(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    ecdsaSha256,
    name,
    seq(
      time(new Date(now - 3600_000)),
      time(new Date(now + 10 * 365 * 86400_000)),
    ),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der(
      0xa3,
      seq(
        seq(oid('2.5.29.17'), octets(seq(...altNames))),
        seq(oid('2.5.29.19'), bool(true), octets(seq(bool(true)))),
        // digitalSignature and keyCertSign
        seq(oid('2.5.29.15'), bool(true), octets(bits(Buffer.from([0x84]), 2))),
        seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1')))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, ecdsaSha256, bits(signature));
  const lines = cert
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
