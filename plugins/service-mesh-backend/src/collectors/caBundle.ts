/*
 * Intermediate CAs in the public root bundle. istiod publishes only the root bundle (the CA's root-cert.pem) in
 * `istio-ca-root-cert` (pilot/pkg/bootstrap/certcontroller.go: GetCAKeyCertBundle().GetRootCertPem(); copied to
 * every namespace by pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go). The intermediate istiod
 * signs with (ca-cert.pem / cert-chain.pem of the `cacerts` Secret) is secret data and never read here; it is only
 * visible when an operator put it into root-cert.pem too, which is what this reads: a CA certificate of the bundle
 * that is not self-signed.
 */
import { X509Certificate } from 'node:crypto';
import type { IntermediateCA } from '@internal/plugin-service-mesh-common';

const PEM_BLOCK =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function readIntermediates(pem: string): IntermediateCA[] {
  const out: IntermediateCA[] = [];
  for (const block of pem.match(PEM_BLOCK) ?? []) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch {
      continue; // the root CA reader reports unparsable bundles
    }
    if (!cert.ca || cert.checkIssued(cert)) continue;
    out.push({
      fingerprint: cert.fingerprint256,
      subject: cert.subject.replace(/\n/g, ', '),
      issuer: cert.issuer.replace(/\n/g, ', '),
      notAfter: cert.validToDate.toISOString(),
    });
  }
  return out;
}
