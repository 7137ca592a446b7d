/*
 * The mesh root CA from ConfigMap `istio-ca-root-cert` (public: istiod copies it into every namespace). Clusters
 * with different fingerprints cannot complete cross-cluster mTLS handshakes.
 */
import { X509Certificate } from 'node:crypto';
import {
  ROOT_CA_CONFIGMAP,
  RootCA,
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

/** Fingerprint, subject and expiry of the first certificate of a PEM bundle. */
export function parseRootCert(pem: string, source: string): RootCA {
  const first =
    /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(
      pem,
    )?.[0];
  if (!first)
    return {
      fingerprint: '',
      source,
      error: 'root-cert.pem holds no PEM certificate',
    };
  try {
    const cert = new X509Certificate(first);
    return {
      // Node gives the SHA-256 of the DER as upper-case hex with colons.
      fingerprint: cert.fingerprint256,
      subject: cert.subject.replace(/\n/g, ', '),
      notAfter: cert.validToDate.toISOString(),
      source,
    };
  } catch (error) {
    return {
      fingerprint: '',
      source,
      error: `root-cert.pem cannot be parsed: ${(error as Error).message}`,
    };
  }
}
