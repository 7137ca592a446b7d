/*
 * Proxy sync as istiod reports it (/debug/syncz, reduced by the collector): configuration not acknowledged for
 * too long (MESH015), configuration rejected (MESH016), and data-plane versions against the control plane
 * (MESH005) and across clusters (MESH006). Ages come from istiod's own clock: its answer's Date header minus the
 * `sentTime` of the push, so two polls are never compared.
 *
 * Version skew (istio.io docs/releases/supported-releases, "Control Plane/Data Plane Skew"): "The Istio control
 * plane can be one version ahead of the data plane. However, the data plane cannot be ahead of control plane."
 */
import type { Finding } from '../../types/api';
import type { IstiodView, ProxySyncRow, XdsState } from '../../types/snapshot';
import { defineCheck } from '../check';
import { type AnalysisContext, ctxFlag, type MemberData } from '../context';
import { listNames, makeFinding } from '../finding';
import { normalizeIstioVersion } from './controlPlane';
import { readableViews } from './istiodRemotes';

export const DEFAULT_STALE_PROXY_MINUTES = 5;
const NOT_SYNCED: XdsState[] = ['STALE', 'NOT SENT'];

function observedAt(member: MemberData, view: IstiodView): number {
  // The time of the syncz read (kept between reads), never the refresh's: a carried result keeps its ages.
  const t = Date.parse(
    view.observedAt ?? view.proxiesReadAt ?? member.cluster.lastSyncedAt ?? '',
  );
  return Number.isNaN(t) ? Number.NaN : t;
}

/** Types of a row in one of `states`, and the oldest `since` among them. */
function problem(row: ProxySyncRow, states: XdsState[]) {
  const types = Object.entries(row.xds).filter(
    ([, x]) => x && states.includes(x.state),
  );
  const since = types
    .map(([, x]) => x!.since)
    .filter((s): s is string => !!s)
    .sort()[0];
  return {
    types: types.map(([t, x]) => `${t} ${x!.state}`),
    since,
    error: types.find(([, x]) => x!.error)?.[1]?.error,
  };
}

function groupRows(
  rows: ProxySyncRow[],
  accept: (row: ProxySyncRow) => ReturnType<typeof problem> | undefined,
) {
  const groups = new Map<
    string,
    {
      clusterId?: string;
      namespace: string;
      rows: Array<ProxySyncRow & { p: ReturnType<typeof problem> }>;
    }
  >();
  for (const row of rows) {
    const p = accept(row);
    if (!p) continue;
    const key = `${row.clusterId ?? ''}/${row.namespace}`;
    const group = groups.get(key) ?? {
      clusterId: row.clusterId,
      namespace: row.namespace,
      rows: [],
    };
    group.rows.push({ ...row, p });
    groups.set(key, group);
  }
  return [...groups.values()];
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const pods = (rows: ProxySyncRow[]) =>
  listNames([
    ...rows.slice(0, 5).map(r => r.pod),
    ...(rows.length > 5 ? [`${rows.length - 5} more`] : []),
  ]);

export function checkProxySync(ctx: AnalysisContext): Finding[] {
  const thresholdMs = ctx.staleProxyMinutes * 60_000;
  const findings: Finding[] = [];
  for (const member of ctx.withData) {
    for (const view of readableViews(member)) {
      const proxies = view.proxies;
      if (!proxies) continue;
      const now = observedAt(member, view);
      const capped = proxies.rowsTotal > proxies.rows.length;
      const stale = groupRows(proxies.rows, row => {
        const p = problem(row, NOT_SYNCED);
        if (!p.types.length || !p.since || Number.isNaN(now)) return undefined;
        return now - Date.parse(p.since) > thresholdMs ? p : undefined;
      });
      for (const group of stale) {
        const oldest = group.rows.map(r => r.p.since!).sort()[0];
        findings.push(
          makeFinding({
            code: 'MESH015',
            message: `${capped ? 'At least ' : ''}${group.rows.length} prox${
              group.rows.length === 1 ? 'y' : 'ies'
            } in ${group.namespace} (cluster ID ${
              group.clusterId ?? 'unknown'
            }) connected to istiod ${view.pod ?? view.revision} in ${
              member.name
            } ha${
              group.rows.length === 1 ? 's' : 've'
            } had configuration STALE or NOT SENT for more than ${
              ctx.staleProxyMinutes
            } min (the oldest for ${minutes(
              now - Date.parse(oldest),
            )}, by istiod's clock): ${pods(
              group.rows,
            )} (${group.rows[0].p.types.join(
              ', ',
            )}). They run on outdated routes and endpoints.`,
            clusters: [member.name],
            resource: { kind: 'Namespace', name: group.namespace },
            idParts: [view.revision, group.clusterId ?? ''],
            hint: `istioctl proxy-status ${ctxFlag(member.name)} -n ${
              group.namespace
            }; check istiod for push errors (kubectl -n ${
              view.namespace
            } logs ${
              view.pod ? `pod/${view.pod}` : 'deployment/istiod'
            } ${ctxFlag(
              member.name,
            )} | grep -i -e nack -e push); a proxy stuck on a broken connection recovers with kubectl -n ${
              group.namespace
            } delete pod ${group.rows[0].pod} ${ctxFlag(member.name)}`,
          }),
        );
      }
      const rejected = groupRows(proxies.rows, row => {
        const p = problem(row, ['ERROR']);
        return p.types.length ? p : undefined;
      });
      for (const group of rejected) {
        const error = group.rows.find(r => r.p.error)?.p.error;
        findings.push(
          makeFinding({
            code: 'MESH016',
            message: `${capped ? 'At least ' : ''}${group.rows.length} prox${
              group.rows.length === 1 ? 'y' : 'ies'
            } in ${group.namespace} rejected configuration from istiod ${
              view.pod ?? view.revision
            } in ${member.name}: ${pods(
              group.rows,
            )} (${group.rows[0].p.types.join(', ')}).${
              error ? ` Envoy said: ${error}` : ''
            }`,
            clusters: [member.name],
            resource: { kind: 'Namespace', name: group.namespace },
            idParts: [view.revision, group.clusterId ?? ''],
            hint: `istioctl analyze -n ${group.namespace} ${ctxFlag(
              member.name,
            )} and istioctl proxy-status ${group.rows[0].pod}.${
              group.namespace
            } ${ctxFlag(
              member.name,
            )}; fix or remove the offending resource (often an EnvoyFilter, or a VirtualService/DestinationRule the proxy version does not support).`,
          }),
        );
      }
    }
  }
  return findings;
}

function minorOf(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(normalizeIstioVersion(version));
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Minor releases `a` is ahead of `b` (negative: behind); undefined across majors or unparseable versions. */
function minorsAhead(a: string, b: string): number | undefined {
  const x = minorOf(a);
  const y = minorOf(b);
  if (!x || !y || x[0] !== y[0]) return undefined;
  return x[1] - y[1];
}

export function checkDataPlaneVersions(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const perCluster = new Map<string, Set<string>>();
  for (const member of ctx.withData) {
    for (const view of readableViews(member)) {
      const versions = view.proxies?.versions ?? [];
      const cp = member.data.controlPlanes.find(
        c => c.revision === view.revision && c.namespace === view.namespace,
      );
      for (const v of versions) {
        const set = perCluster.get(member.name) ?? new Set<string>();
        set.add(normalizeIstioVersion(v.version));
        perCluster.set(member.name, set);
      }
      if (!cp?.version) continue;
      const outside = versions.filter(v => {
        const ahead = minorsAhead(cp.version!, v.version);
        return ahead !== undefined && (ahead > 1 || ahead < 0);
      });
      if (!outside.length) continue;
      const count = outside.reduce((n, v) => n + v.proxies, 0);
      findings.push(
        makeFinding({
          code: 'MESH005',
          message: `${count} prox${
            count === 1 ? 'y' : 'ies'
          } connected to istiod ${cp.version} (revision ${view.revision}) in ${
            member.name
          } run ${listNames(
            outside.map(v => `${v.version} (${v.proxies})`),
          )}: Istio supports a control plane at most one minor release ahead of its proxies, and never behind them.`,
          clusters: [member.name],
          resource: {
            kind: 'Deployment',
            namespace: view.namespace,
            name: cp.deployment,
          },
          hint: `Re-inject the old proxies with the current sidecar: istioctl proxy-status ${ctxFlag(
            member.name,
          )} | grep -v ${
            cp.version
          }, then kubectl -n <namespace> rollout restart deployment/<name> ${ctxFlag(
            member.name,
          )}; upgrade one minor release at a time (canary revisions).`,
        }),
      );
    }
  }
  // MESH006: clusters whose proxies run different sets of versions.
  const distinct = new Map<string, string[]>();
  for (const [cluster, versions] of perCluster) {
    const key = [...versions].sort().join(', ');
    distinct.set(key, [...(distinct.get(key) ?? []), cluster]);
  }
  if (distinct.size > 1) {
    const clusters = [...perCluster.keys()];
    findings.push(
      makeFinding({
        code: 'MESH006',
        message: `The clusters' proxies run different Istio versions: ${[
          ...distinct.entries(),
        ]
          .map(([v, cs]) => `${listNames(cs)}: ${v}`)
          .join('; ')}.`,
        clusters,
        hint: "Upgrade the data planes to one version (restart workloads after each control-plane upgrade): istioctl proxy-status --context=<cluster> shows each proxy's version.",
      }),
    );
  }
  return findings;
}

export const ISTIOD_PROXY_CHECKS = [
  defineCheck({
    name: 'proxySync',
    inputs: ['istiod'],
    codes: ['MESH015', 'MESH016'],
    run: checkProxySync,
  }),
  defineCheck({
    name: 'dataPlaneVersions',
    inputs: ['istiod', 'controlPlanes'],
    codes: ['MESH005', 'MESH006'],
    run: checkDataPlaneVersions,
  }),
];
