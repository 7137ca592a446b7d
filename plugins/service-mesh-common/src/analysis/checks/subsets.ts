/*
 * DestinationRule subsets (MESH054). A subset is an Envoy cluster `outbound|<port>|<subset>|<host>` whose endpoints
 * are the host's endpoints carrying the subset's labels (Istio: pilot/pkg/xds/endpoints/endpoint_builder.go
 * filters the service's endpoints by subset labels; networking/core/cluster_builder.go buildSubsetCluster). In a
 * multi-primary mesh the endpoints of every cluster are merged, so a subset with no pod in one cluster is served
 * from the others (its clients there leave the cluster), and a subset with no pod anywhere answers 503 (no
 * healthy upstream, UH) to whatever a VirtualService routes to it.
 */
import type { Finding } from '../../types/api';
import type { MeshWorkload, PolicyResource } from '../../types/snapshot';
import { asArray, asRecord, asString, asStringRecord } from '../../util/guards';
import {
  matchLabelsSubsetOf,
  serviceSelectorSelects,
} from '../../labels/labelSelector';
import { defineCheck } from '../check';
import { type AnalysisContext, ctxFlag } from '../context';
import { listNames, makeFinding } from '../finding';
import { resolveShortnameToFqdn, serviceHost } from '../hosts';

interface Subset {
  rule: PolicyResource;
  name: string;
  labels: Record<string, string>;
  host: string;
  /** Clusters whose istiod has this rule. */
  clusters: string[];
}

function subsetsOf(ctx: AnalysisContext): Map<string, Subset> {
  const out = new Map<string, Subset>();
  for (const m of ctx.withData) {
    for (const rule of m.data.destinationRules) {
      const host = resolveShortnameToFqdn(
        asString(asRecord(rule.spec).host) ?? '',
        rule.namespace,
      );
      for (const raw of asArray(asRecord(rule.spec).subsets)) {
        const subset = asRecord(raw);
        const name = asString(subset.name);
        const labels = asStringRecord(subset.labels);
        // A subset without labels selects every endpoint of the host.
        if (!name || Object.keys(labels).length === 0) continue;
        const key = `${rule.namespace}/${rule.name}/${name}/${JSON.stringify(
          labels,
        )}`;
        const known = out.get(key);
        if (known) known.clusters.push(m.name);
        else out.set(key, { rule, name, labels, host, clusters: [m.name] });
      }
    }
  }
  return out;
}

/** MESH054: a subset selects no pod of its service in some cluster that runs the service, or in none. */
export const subsetPodsCheck = defineCheck({
  name: 'subsetPods',
  inputs: ['destinationRules', 'services', 'workloads'],
  codes: ['MESH054'],
  run: checkSubsetPods,
});

function checkSubsetPods(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const subset of subsetsOf(ctx).values()) {
    // Clusters whose pods back the host, and those whose pods carry the subset's labels.
    const running: string[] = [];
    const matching: string[] = [];
    for (const m of ctx.withData) {
      const service = m.data.services.find(s => serviceHost(s) === subset.host);
      if (!service) continue;
      const pods = m.data.workloads.filter(
        (w: MeshWorkload) =>
          w.namespace === service.namespace &&
          w.pods > 0 &&
          serviceSelectorSelects(service.selector, w.labels),
      );
      if (pods.length === 0) continue;
      running.push(m.name);
      if (pods.some(w => matchLabelsSubsetOf(subset.labels, w.labels)))
        matching.push(m.name);
    }
    if (running.length === 0 || matching.length === running.length) continue;
    const labels = Object.entries(subset.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const { rule } = subset;
    const what = `Subset ${subset.name} (${labels}) of DestinationRule ${rule.namespace}/${rule.name}`;
    const none = matching.length === 0;
    const without = running.filter(c => !matching.includes(c));
    findings.push(
      makeFinding({
        code: 'MESH054',
        severity: none ? 'warning' : 'info',
        message: none
          ? `${what} selects no pod of ${
              subset.host
            } in any cluster (${listNames(
              running,
            )} run it): requests a VirtualService routes to it fail with 503 (no healthy upstream).`
          : `${what} selects pods in ${listNames(
              matching,
            )} only, not in ${listNames(
              without,
            )}: the subset's requests from ${listNames(
              without,
            )} are all served from other clusters.`,
        clusters: [...new Set([...subset.clusters, ...running])],
        resource: {
          kind: 'DestinationRule',
          namespace: rule.namespace,
          name: rule.name,
        },
        idParts: [subset.name],
        hint: `kubectl -n ${rule.namespace} get pods -l ${labels} ${ctxFlag(
          without[0],
        )} (no pod carries the subset's labels there: deploy that version, or change the subset's labels)`,
      }),
    );
  }
  return findings;
}

export const SUBSET_CHECKS = [subsetPodsCheck];
