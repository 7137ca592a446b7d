/*
 * How a snapshot is laid out in a shared store: JSON, gzipped, cut into chunks of a bounded size, with a SHA-256
 * of the compressed bytes so that a reader can tell a complete generation from a half-written or mixed one.
 * A 200k-endpoint mesh (50 clusters × 1000 services) is ~58 MB of JSON and ~1.7 MB gzipped: a handful of chunks.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { parseSnapshot } from '@internal/plugin-service-mesh-common';
import type { StoredSnapshot } from './SnapshotStore';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** The encoding named in the manifest; a reader that does not know it discards the generation. */
export const SNAPSHOT_ENCODING = 'json+gzip';

/** Default chunk size: below memcache's 1 MB item limit and MySQL 5.7's 4 MB default packet, even in base64. */
export const DEFAULT_CHUNK_BYTES = 512 * 1024;

export interface EncodedSnapshot {
  chunks: Buffer[];
  /** Bytes of JSON before compression. */
  rawBytes: number;
  /** Bytes stored (sum of the chunks). */
  storedBytes: number;
  /** SHA-256 of the compressed bytes, hex. */
  sha256: string;
}

export async function encodeSnapshot(
  value: StoredSnapshot,
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): Promise<EncodedSnapshot> {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) {
    throw new TypeError(`Invalid chunk size ${chunkBytes}`);
  }
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  // zlib runs on libuv's thread pool: compressing a large snapshot does not block request handling.
  const compressed = await gzip(json);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < compressed.length; offset += chunkBytes) {
    chunks.push(compressed.subarray(offset, offset + chunkBytes));
  }
  return {
    chunks,
    rawBytes: json.length,
    storedBytes: compressed.length,
    sha256: createHash('sha256').update(compressed).digest('hex'),
  };
}

/** Thrown when the chunks do not form the generation the manifest describes. */
export class SnapshotIntegrityError extends Error {
  readonly name = 'SnapshotIntegrityError';
}

export async function decodeSnapshot(
  chunks: Buffer[],
  expected: { sha256: string; storedBytes?: number },
): Promise<StoredSnapshot> {
  const compressed = Buffer.concat(chunks);
  if (
    expected.storedBytes !== undefined &&
    compressed.length !== expected.storedBytes
  ) {
    throw new SnapshotIntegrityError(
      `expected ${expected.storedBytes} bytes, found ${compressed.length}`,
    );
  }
  const sha256 = createHash('sha256').update(compressed).digest('hex');
  if (sha256 !== expected.sha256) {
    throw new SnapshotIntegrityError('checksum mismatch');
  }
  const json = await gunzip(compressed);
  const value = JSON.parse(json.toString('utf8')) as StoredSnapshot;
  // Another replica (maybe another version) wrote it: validated once here, like the collectors' output.
  return {
    ...value,
    snapshot: parseSnapshot(value?.snapshot),
    findings: Array.isArray(value?.findings) ? value.findings : [],
  };
}
