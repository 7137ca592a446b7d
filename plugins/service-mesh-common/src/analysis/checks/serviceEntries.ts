/*
 * MESH064: a MESH_INTERNAL ServiceEntry host defined in several clusters by differently named ServiceEntries whose
 * resolution or ports differ. istiod makes a service of each host from its ServiceEntry (resolution, ports:
 * pilot/pkg/serviceregistry/serviceentry/conversion.go convertServices) and reads ServiceEntries of its own
 * cluster only, so each primary's clients get their own definition. Same-named copies are MESH052's (policy
 * drift, field by field); MESH_EXTERNAL hosts are each cluster's own egress business and not compared.
 */
import type { Finding } from '../../types/api';
import type { PolicyResource } from '../../types/snapshot';
import { asArray, asNumber, asRecord, asString } from '../../util/guards';
import { defineCheck } from '../check';
import type { AnalysisContext } from '../context';
import { makeFinding } from '../finding';

interface Definition {
  cluster: string;
  entry: PolicyResource;
  /** resolution and ports, the parts of the service istiod builds that clients depend on. */
  signature: string;
}

/** Resolution (default NONE) and the ports as number/PROTOCOL, sorted. */
function signatureOf(spec: Record<string, unknown>): string {
  const resolution = (asString(spec.resolution) ?? 'NONE').toUpperCase();
  const ports = asArray(spec.ports)
    .map(p => {
      const port = asRecord(p);
      return `${asNumber(port.number) ?? '?'}/${(
        asString(port.protocol) ?? '?'
      ).toUpperCase()}`;
    })
    .sort();
  return `resolution ${resolution}, ports ${ports.join(' ') || 'none'}`;
}

function isMeshInternal(spec: Record<string, unknown>): boolean {
  return (asString(spec.location) ?? '').toUpperCase() === 'MESH_INTERNAL';
}

function checkServiceEntryHosts(ctx: AnalysisContext): Finding[] {
  const byHost = new Map<string, Definition[]>();
  for (const m of ctx.withData) {
    for (const entry of m.data.serviceEntries) {
      const spec = asRecord(entry.spec);
      if (!isMeshInternal(spec)) continue;
      const signature = signatureOf(spec);
      for (const host of new Set(
        asArray(spec.hosts)
          .map(h => asString(h)?.toLowerCase())
          .filter((h): h is string => !!h),
      )) {
        const defs = byHost.get(host) ?? [];
        defs.push({ cluster: m.name, entry, signature });
        byHost.set(host, defs);
      }
    }
  }
  const findings: Finding[] = [];
  for (const [host, defs] of [...byHost].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const clusters = [...new Set(defs.map(d => d.cluster))];
    if (clusters.length < 2) continue;
    if (new Set(defs.map(d => d.signature)).size < 2) continue;
    const refs = new Set(defs.map(d => `${d.entry.namespace}/${d.entry.name}`));
    // One name everywhere: MESH052 reports the differing fields.
    if (refs.size < 2) continue;
    const first = defs[0].entry;
    const each = defs
      .map(
        d =>
          `${d.cluster}: ServiceEntry ${d.entry.namespace}/${d.entry.name} (${d.signature})`,
      )
      .join('; ');
    findings.push(
      makeFinding({
        code: 'MESH064',
        message: `Mesh-internal host ${host} is defined differently across clusters: ${each}. Each primary gives its clients its own definition, so calls to ${host} behave differently per cluster.`,
        clusters,
        resource: {
          kind: 'ServiceEntry',
          namespace: first.namespace,
          name: first.name,
        },
        idParts: [host],
        hint: `Keep one ServiceEntry for ${host} (one name, namespace, resolution and ports) and apply it to every cluster: for c in ${clusters.join(
          ' ',
        )}; do kubectl apply -n ${first.namespace} -f serviceentry-${
          first.name
        }.yaml --context=$c; done; then delete the other copies.`,
      }),
    );
  }
  return findings;
}

export const serviceEntryHostsCheck = defineCheck({
  name: 'serviceEntryHosts',
  inputs: ['serviceEntries'],
  codes: ['MESH064'],
  run: checkServiceEntryHosts,
});

export const SERVICE_ENTRY_CHECKS = [serviceEntryHostsCheck];
