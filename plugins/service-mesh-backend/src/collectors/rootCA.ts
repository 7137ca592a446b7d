/*
 * The mesh root CA bundle from ConfigMap `istio-ca-root-cert` (public: istiod copies it into every namespace).
 * Clusters whose bundles share no root cannot complete cross-cluster mTLS handshakes (-common rootTrust.ts).
 */
import { X509Certificate } from 'node:crypto';
import {
  ROOT_CA_CONFIGMAP,
  RootCA,
  RootCertificate,
} from '@internal/plugin-service-mesh-common';
import { isRecord, mapEach, MappingContext } from './objects';
import { readIntermediates } from './caBundle';

export function mapRootCA(
  configMaps: unknown[],
  ctx: MappingContext,
): RootCA | undefined {
  const found = mapEach(configMaps, 'ConfigMap', ctx, (obj, meta) =>
    meta.name === ROOT_CA_CONFIGMAP
      ? { obj, source: `${meta.namespace}/${meta.name}` }
      : undefined,
  );
  if (found.length === 0) return undefined;
  const { obj, source } = found[0];
  const pem = isRecord(obj.data) ? obj.data['root-cert.pem'] : undefined;
  if (typeof pem !== 'string' || pem.trim() === '') {
    return { fingerprint: '', source, error: 'root-cert.pem is missing' };
  }
  const intermediates = readIntermediates(pem);
  const root = parseRootCert(pem, source);
  return intermediates.length > 0 ? { ...root, intermediates } : root;
}

/**
 * Fingerprint, subject and expiry of every certificate of a PEM bundle (during a root rotation root-cert.pem
 * holds the old and the new root); the top-level fields are the first certificate's. Blocks that do not parse
 * are skipped; the bundle is in error only when none parses.
 */
export function parseRootCert(pem: string, source: string): RootCA {
  const blocks =
    pem.match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    ) ?? [];
  if (blocks.length === 0)
    return {
      fingerprint: '',
      source,
      error: 'root-cert.pem holds no PEM certificate',
    };
  const roots: RootCertificate[] = [];
  let failure: string | undefined;
  for (const block of blocks) {
    try {
      const cert = new X509Certificate(block);
      roots.push({
        // Node gives the SHA-256 of the DER as upper-case hex with colons.
        fingerprint: cert.fingerprint256,
        subject: cert.subject.replace(/\n/g, ', '),
        notAfter: cert.validToDate.toISOString(),
      });
    } catch (error) {
      failure ??= (error as Error).message;
    }
  }
  if (roots.length === 0) {
    return {
      fingerprint: '',
      source,
      error: `root-cert.pem cannot be parsed: ${failure}`,
    };
  }
  return { ...roots[0], roots, source };
}
