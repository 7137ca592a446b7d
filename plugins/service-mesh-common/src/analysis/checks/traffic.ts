/*
 * Live-traffic checks (MESH080/081). They are not snapshot checks: their input is what the sidecars measured over
 * a window, read by the backend from the metrics store, so analyzeTraffic is a separate pure function whose
 * findings the backend appends to those of analyzeMesh.
 */
import type { FindingCode } from '../../findings/registry';
import type { Finding } from '../../types/api';
import type { MeshSnapshot } from '../../types/snapshot';
import {
  clusterLocalities,
  type ExpectedSplit,
  expectedSplitByCluster,
} from '../../traffic/expectedSplit';
import { serviceTrafficView, servicesInTraffic } from '../../traffic/summarize';
import {
  DEFAULT_TRAFFIC_THRESHOLDS,
  type ServiceTrafficView,
  type TrafficData,
  type TrafficThresholds,
} from '../../traffic/types';
import { ctxFlag } from '../context';
import { finalizeFindings, listNames, makeFinding } from '../finding';
import { serviceHost } from '../hosts';

/** What analyzeTraffic may report (for the registry's meta-test: every code has a producer). */
export const TRAFFIC_CODES: readonly FindingCode[] = ['MESH080', 'MESH081'];

export interface AnalyzeTrafficOptions {
  thresholds?: Partial<TrafficThresholds>;
  /** The expected split per service and client cluster; by default the locality simulation over the snapshot. */
  expected?: (
    service: { namespace: string; name: string },
    sourceCluster: string,
  ) => ExpectedSplit | undefined;
  /** Only these services (default: every service with traffic). */
  services?: Array<{ namespace: string; name: string }>;
}

function percent(value: number): string {
  return `${Math.round(value)}%`;
}

function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatRatio(value: number): string {
  const p = value * 100;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/**
 * The part of a MESH080 difference that reachability explains: a destination the clients cannot use (excluded,
 * or failing and ejected) that still receives traffic, or one whose expected share is the failing share.
 */
function reachabilityCause(
  source: ServiceTrafficView['sources'][number],
): string {
  const unreachable = source.expectation?.unreachable ?? [];
  if (unreachable.length === 0) return '';
  const parts = unreachable.map(u => {
    const why = u.reasons.map(r => `${r.summary}, ${r.code}`).join('; ');
    const measured = source.destinations.find(d => d.cluster === u.cluster);
    let what = `connections from ${source.cluster} to ${u.cluster} fail, so its share is a failure share`;
    if (u.outcome === 'excluded')
      what = `${source.cluster}'s istiod does not discover ${u.cluster}, so none should go there`;
    else if (u.ejected)
      what = `connections from ${source.cluster} to ${u.cluster} fail and outlier detection ejects its endpoints, so none should succeed there`;
    const seen =
      measured && measured.actualShare > 0
        ? ` (measured ${percent(measured.actualShare)}, 5xx ${formatRatio(
            measured.errorRatio,
          )})`
        : '';
    return `${what}${seen} (${why})`;
  });
  return ` Reachability accounts for the prediction: ${parts.join('; ')}.`;
}

/** MESH080: per client cluster, the measured split differs from the expected one by more than the threshold. */
function splitFindings(
  view: ServiceTrafficView,
  window: string,
  thresholds: TrafficThresholds,
): Finding[] {
  const findings: Finding[] = [];
  const resource = {
    kind: 'Service',
    namespace: view.namespace,
    name: view.name,
  };
  for (const source of view.sources) {
    if (!source.enoughVolume || source.maxDeviation === undefined) continue;
    if (source.maxDeviation <= thresholds.splitDeviationPoints) continue;
    const off = source.destinations.filter(
      d =>
        d.deviation !== undefined &&
        Math.abs(d.deviation) > thresholds.splitDeviationPoints,
    );
    const worst = [...off].sort(
      (a, b) => Math.abs(b.deviation ?? 0) - Math.abs(a.deviation ?? 0),
    )[0];
    const actual = source.destinations
      .map(d => `${d.cluster} ${percent(d.actualShare)}`)
      .join(', ');
    const expected = source.destinations
      .map(d => `${d.cluster} ${percent(d.expectedShare ?? 0)}`)
      .join(', ');
    const where = source.localities.length
      ? ` (${source.localities
          .map(l => [l.region, l.zone].filter(Boolean).join('/'))
          .join(', ')})`
      : '';
    const how = source.expectation
      ? ` (${source.expectation.mode}${
          source.expectation.policy
            ? `, DestinationRule ${source.expectation.policy}`
            : ', no DestinationRule'
        })`
      : '';
    const host = serviceHost(view);
    findings.push(
      makeFinding({
        code: 'MESH080',
        message: `Over the last ${window}, ${formatCount(
          source.requests,
        )} requests from ${source.cluster}${where} to ${view.namespace}/${
          view.name
        } went ${actual}; the traffic policies predict ${expected}${how}. Largest difference: ${
          worst?.cluster
        }, ${Math.round(
          Math.abs(worst?.deviation ?? 0),
        )} points.${reachabilityCause(source)}`,
        clusters: [source.cluster, ...off.map(d => d.cluster)],
        resource,
        idParts: ['from', source.cluster],
        hint: `Compare the DestinationRule that ${
          source.cluster
        }'s istiod applies (kubectl -n ${
          view.namespace
        } get destinationrules -o yaml ${ctxFlag(
          source.cluster,
        )}) with the expected split, then look for ejected or unhealthy endpoints as the clients see them: istioctl proxy-config endpoint deploy/<client> -n <client-namespace> ${ctxFlag(
          source.cluster,
        )} | grep ${host}. Clients without a sidecar, or with a DestinationRule of their own (workloadSelector), bypass the rule.`,
      }),
    );
  }
  return findings;
}

/** MESH081: cross-cluster calls fail (5xx ratio) or are slow (p95 against the local p95). */
function crossClusterFindings(
  view: ServiceTrafficView,
  window: string,
  thresholds: TrafficThresholds,
): Finding[] {
  if (view.crossCluster.requests < thresholds.minRequests) return [];
  const problems: string[] = [];
  const clusters = new Set<string>();
  const crossEdges = view.sources.flatMap(s =>
    s.destinations
      .filter(d => !d.local && d.requestsPerSecond > 0)
      .map(d => ({ source: s.cluster, ...d })),
  );

  if (view.crossCluster.errorRatio > thresholds.crossClusterErrorRatio) {
    const failing = crossEdges
      .filter(e => e.errorRatio > thresholds.crossClusterErrorRatio)
      .sort((a, b) => b.errorRatio - a.errorRatio);
    const shown = (failing.length ? failing : crossEdges).slice(0, 5);
    for (const e of shown) clusters.add(e.source).add(e.cluster);
    problems.push(
      `${formatRatio(view.crossCluster.errorRatio)} of ${formatCount(
        view.crossCluster.requests,
      )} cross-cluster requests answered 5xx (threshold ${formatRatio(
        thresholds.crossClusterErrorRatio,
      )})${
        failing.length
          ? `: ${listNames(
              failing
                .slice(0, 5)
                .map(
                  e =>
                    `${e.source} → ${e.cluster} ${formatRatio(e.errorRatio)}`,
                ),
            )}`
          : ''
      }`,
    );
  }

  const { local, crossCluster } = view.latency;
  if (
    local.p95 !== undefined &&
    crossCluster.p95 !== undefined &&
    local.p95 > 0 &&
    local.requests >= thresholds.minRequests &&
    crossCluster.p95 > thresholds.crossClusterLatencyFactor * local.p95
  ) {
    for (const e of crossEdges) clusters.add(e.source).add(e.cluster);
    problems.push(
      `cross-cluster p95 latency is ${Math.round(crossCluster.p95)} ms, ${(
        crossCluster.p95 / local.p95
      ).toFixed(1)}× the local p95 of ${Math.round(local.p95)} ms (threshold ${
        thresholds.crossClusterLatencyFactor
      }×)`,
    );
  }
  if (problems.length === 0) return [];
  const sources = [...new Set(crossEdges.map(e => e.source))].sort();
  const destinations = [...new Set(crossEdges.map(e => e.cluster))].sort();
  return [
    makeFinding({
      code: 'MESH081',
      message: `Over the last ${window}, calls to ${view.namespace}/${
        view.name
      } across clusters are unhealthy: ${problems.join('; ')}.`,
      clusters: [...clusters],
      resource: {
        kind: 'Service',
        namespace: view.namespace,
        name: view.name,
      },
      hint: `Check the east-west gateways of ${listNames(
        destinations,
      )} (kubectl -n istio-system get pods,svc -l istio=eastwestgateway ${ctxFlag(
        destinations[0] ?? '<cluster>',
      )}) and that 15443 is reachable from ${listNames(
        sources,
      )}; the client sidecars' access logs tell connection failures (response flags UF, URX, UH) from application 5xx: kubectl logs deploy/<client> -c istio-proxy -n <client-namespace> ${ctxFlag(
        sources[0] ?? '<cluster>',
      )} | grep ${serviceHost(view)}.`,
    }),
  ];
}

/**
 * MESH080/081 from the traffic measured over a window, compared with the simulation over the snapshot. Never
 * throws: a service whose data is unusable is skipped.
 */
export function analyzeTraffic(
  snapshot: MeshSnapshot,
  traffic: TrafficData,
  options: AnalyzeTrafficOptions = {},
): Finding[] {
  const thresholds: TrafficThresholds = {
    ...DEFAULT_TRAFFIC_THRESHOLDS,
    ...options.thresholds,
  };
  const expected =
    options.expected ??
    ((service, source) => expectedSplitByCluster(snapshot, service, source));
  const findings: Finding[] = [];
  let services: Array<{ namespace: string; name: string }>;
  try {
    services = options.services ?? servicesInTraffic(traffic);
  } catch {
    return [];
  }
  // Simulate only where a comparison can fire: the client cluster sent enough requests to the service.
  const volume = new Map<string, number>();
  for (const e of traffic.edges ?? []) {
    const key = `${e.namespace}/${e.service}/${e.sourceCluster}`;
    volume.set(key, (volume.get(key) ?? 0) + e.requests);
  }
  for (const service of services) {
    try {
      const view = serviceTrafficView(traffic, service, {
        thresholds,
        expected: source =>
          (volume.get(`${service.namespace}/${service.name}/${source}`) ?? 0) >=
          thresholds.minRequests
            ? expected(service, source)
            : undefined,
        localities: cluster => clusterLocalities(snapshot, cluster),
      });
      findings.push(...splitFindings(view, traffic.window, thresholds));
      findings.push(...crossClusterFindings(view, traffic.window, thresholds));
    } catch {
      // One unusable service must not hide the others.
    }
  }
  return finalizeFindings(findings);
}
