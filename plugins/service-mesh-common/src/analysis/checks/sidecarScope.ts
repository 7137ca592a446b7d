/*
 * MESH055 as a snapshot check: a namespace's Sidecar scope (reachability/sidecarVisibility.ts, Istio's rule) hides
 * a Service of another namespace that it has client-side rules for: a DestinationRule for its host, or a
 * VirtualService routing to it. Those rules say the namespace calls the Service, and istiod drops them with it (the Sidecar's
 * egress hosts also filter which VirtualServices and DestinationRules a proxy gets: pilot/pkg/model/sidecar.go
 * SelectVirtualServices, selectDestinationRules). Hiding a Service nobody configures calls to is what Sidecars
 * are for and is not reported; the locality simulation reports it for the client namespace it is asked about.
 */
import type { Finding } from '../../types/api';
import { asRecord, asString } from '../../util/guards';
import { defineCheck } from '../check';
import type { AnalysisContext } from '../context';
import { makeFinding } from '../finding';
import { resolveShortnameToFqdn, serviceHost } from '../hosts';
import { meshSettings } from '../meshSettings';
import {
  sidecarHidesFinding,
  sidecarVisibility,
} from '../reachability/sidecarVisibility';
import { destinationHosts } from '../virtualServices';

function checkSidecarScope(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const m of ctx.withData) {
    const { sidecars, services } = m.data;
    if (sidecars.length === 0) continue;
    const { rootNamespace } = meshSettings(m.data.meshConfigs);
    const byHost = new Map(services.map(s => [serviceHost(s), s]));
    // namespace -> service host -> the rules that name it
    const wanted = new Map<string, Map<string, string[]>>();
    const want = (ns: string, host: string, rule: string) => {
      // Rules in the Service's own namespace or the root namespace are written for every client, not evidence
      // that this namespace calls it.
      const svc = byHost.get(host);
      if (ns === rootNamespace || !svc || svc.namespace === ns) return;
      const hosts = wanted.get(ns) ?? new Map<string, string[]>();
      hosts.set(host, [...(hosts.get(host) ?? []), rule]);
      wanted.set(ns, hosts);
    };
    for (const dr of m.data.destinationRules) {
      const host = asString(asRecord(dr.spec).host) ?? '';
      want(
        dr.namespace,
        resolveShortnameToFqdn(host, dr.namespace),
        `DestinationRule ${dr.name}`,
      );
    }
    for (const vs of m.data.virtualServices)
      for (const host of destinationHosts(asRecord(vs.spec)))
        want(
          vs.namespace,
          resolveShortnameToFqdn(host, vs.namespace),
          `VirtualService ${vs.name}`,
        );
    for (const [ns, hosts] of [...wanted].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      for (const [host, rules] of [...hosts].sort(([a], [b]) =>
        a.localeCompare(b),
      )) {
        const svc = byHost.get(host)!;
        const service = {
          namespace: svc.namespace,
          name: svc.name,
          ports: svc.ports.map(p => p.port),
        };
        const v = sidecarVisibility(sidecars, {
          rootNamespace,
          clientNamespace: ns,
          service,
        });
        if (v.visible || !v.sidecar) continue;
        const named = [...new Set(rules)].join(' and ');
        findings.push(
          makeFinding(
            sidecarHidesFinding(
              m.name,
              ns,
              service,
              v.sidecar,
              `${ns} has ${named} for it, which istiod drops too`,
            ),
          ),
        );
      }
    }
  }
  return findings;
}

export const sidecarScopeCheck = defineCheck({
  name: 'sidecarScope',
  inputs: [
    'sidecars',
    'services',
    'destinationRules',
    'virtualServices',
    'meshConfigs',
  ],
  codes: ['MESH055'],
  run: checkSidecarScope,
});

export const SIDECAR_SCOPE_CHECKS = [sidecarScopeCheck];
