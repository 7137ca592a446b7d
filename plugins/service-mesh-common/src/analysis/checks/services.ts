/*
 * Service definitions across clusters (MESH050/051). Istio merges a service's endpoints from every cluster by
 * host name (namespace sameness), so the Service must be the same everywhere (istioctl analyze IST0170 compares
 * the same), and a client cluster needs the Service to resolve the name unless DNS proxying is on.
 */
import type { Finding } from '../../types/api';
import type { MeshService } from '../../types/snapshot';
import { compareStrings } from '../../util/guards';
import { defineCheck } from '../check';
import {
  type AnalysisContext,
  ctxFlag,
  isOnboarded,
  type MemberData,
} from '../context';
import { listNames, makeFinding } from '../finding';

function describePorts(s: MeshService): string {
  return (
    [...s.ports]
      .sort(
        (a, b) => a.port - b.port || compareStrings(a.name ?? '', b.name ?? ''),
      )
      .map(
        p =>
          `${p.port}/${p.name ?? '(unnamed)'}/${(
            p.protocol ?? 'TCP'
          ).toUpperCase()}${p.appProtocol ? `/${p.appProtocol}` : ''}`,
      )
      .join(', ') || 'none'
  );
}

function describeSelector(s: MeshService): string {
  return (
    Object.entries(s.selector)
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || '(none)'
  );
}

const ASPECTS: Array<{ name: string; describe: (s: MeshService) => string }> = [
  { name: 'ports', describe: describePorts },
  { name: 'selector', describe: describeSelector },
  { name: 'headless', describe: s => (s.headless ? 'headless' : 'ClusterIP') },
];

export const servicesCheck = defineCheck({
  name: 'services',
  inputs: ['services', 'namespaces'],
  codes: ['MESH050', 'MESH051'],
  run: checkServices,
});

export const SERVICE_CHECKS = [servicesCheck];

function checkServices(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const byKey = new Map<
    string,
    Array<{ member: MemberData; service: MeshService }>
  >();
  for (const member of ctx.withData) {
    for (const service of member.data.services) {
      const key = `${service.namespace}/${service.name}`;
      byKey.set(key, [...(byKey.get(key) ?? []), { member, service }]);
    }
  }
  for (const [key, present] of [...byKey].sort(([a], [b]) =>
    compareStrings(a, b),
  )) {
    const { namespace, name } = present[0].service;
    const resource = { kind: 'Service', namespace, name };

    // MESH050: compare each aspect; name the clusters of each variant.
    const differing: string[] = [];
    for (const aspect of ASPECTS) {
      const variants = new Map<string, string[]>();
      for (const p of present) {
        const d = aspect.describe(p.service);
        variants.set(d, [...(variants.get(d) ?? []), p.member.name]);
      }
      if (variants.size > 1) {
        differing.push(
          `${aspect.name}: ${[...variants]
            .map(([d, clusters]) => `${listNames(clusters)} ${d}`)
            .join('; ')}`,
        );
      }
    }
    if (differing.length > 0) {
      findings.push(
        makeFinding({
          code: 'MESH050',
          message: `Service ${key} differs across clusters (${differing.join(
            ' | ',
          )}). Istio merges its endpoints from every cluster under one host, so clients see ports, protocols or endpoints depending on the cluster they are in.`,
          clusters: present.map(p => p.member.name),
          resource,
          hint: `Apply one Service definition (same ports, port names, protocols, selector) everywhere, e.g. keep ${name}'s manifest in Git and run: for c in ${present
            .map(p => p.member.name)
            .join(
              ' ',
            )}; do kubectl apply -n ${namespace} -f ${name}-service.yaml --context=$c; done`,
        }),
      );
    }

    // MESH051: missing where the namespace is onboarded (clusters where it is not are reported as MESH062).
    const missing = ctx.withData.filter(
      m =>
        isOnboarded(m, namespace) &&
        !present.some(p => p.member.name === m.name),
    );
    if (missing.length > 0) {
      const names = missing.map(m => m.name);
      findings.push(
        makeFinding({
          code: 'MESH051',
          message: `Service ${key} exists in ${listNames(
            present.map(p => p.member.name),
          )} but not in ${listNames(
            names,
          )}, where namespace ${namespace} is onboarded: clients there cannot resolve ${name}.${namespace}.svc unless DNS proxying is on.`,
          clusters: names,
          resource,
          hint: `Create the Service in ${listNames(
            names,
          )} too (it needs no local pods; Istio routes to the other clusters' endpoints): ${names
            .map(
              c =>
                `kubectl apply -n ${namespace} -f ${name}-service.yaml ${ctxFlag(
                  c,
                )}`,
            )
            .join(
              '; ',
            )}. Or enable DNS proxying: meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: "true".`,
        }),
      );
    }
  }
  return findings;
}
