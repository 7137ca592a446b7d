/*
 * Locality load-balancing checks: node labels (MESH040) and DestinationRule localityLbSetting validity and
 * effect (MESH041–045), following istiod's webhook validation (ValidateLocalityLbSetting) and the failover
 * switch (failover needs outlierDetection; Envoy's default maxEjectionPercent is 10).
 */
import { LABELS } from '../../constants';
import {
  localityMatches,
  splitLocalityKey,
} from '../../locality/localityMatch';
import type { Finding } from '../../types/api';
import type { Locality, PolicyResource } from '../../types/snapshot';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  compareStrings,
  isRecord,
} from '../../util/guards';
import { defineCheck } from '../check';
import { type AnalysisContext, ctxFlag } from '../context';
import { makeFinding } from '../finding';
import {
  type TrafficPolicyView,
  trafficPolicies,
} from '../destinationRuleSpec';
import { FindingMerger } from '../findingMerger';

/** MESH040: nodes without region/zone labels; their endpoints have no locality. */
export const nodeLabelsCheck = defineCheck({
  name: 'nodeLabels',
  inputs: ['nodes'],
  codes: ['MESH040'],
  run: checkNodeLabels,
});

function checkNodeLabels(ctx: AnalysisContext): Finding[] {
  return ctx.withData
    .filter(m => m.data.nodes.unlabelledCount > 0)
    .map(m => {
      const { unlabelled, unlabelledCount, total } = m.data.nodes;
      const shown = unlabelled.slice(0, 5);
      const more =
        unlabelledCount > shown.length
          ? ` and ${unlabelledCount - shown.length} more`
          : '';
      return makeFinding({
        code: 'MESH040',
        message: `${unlabelledCount}${total ? ` of ${total}` : ''} node${
          Math.max(total, unlabelledCount) > 1 ? 's' : ''
        } in ${m.name} ${unlabelledCount > 1 ? 'lack' : 'lacks'} ${
          LABELS.region
        } or ${LABELS.zone}${
          shown.length ? ` (${shown.join(', ')}${more})` : ''
        }: endpoints there have no locality, so locality load balancing cannot place them.`,
        clusters: [m.name],
        hint: `kubectl label nodes ${shown.join(' ') || '<node>'} ${
          LABELS.region
        }=<region> ${LABELS.zone}=<zone> ${ctxFlag(m.name)}`,
      });
    });
}

function drResource(dr: PolicyResource) {
  return { kind: 'DestinationRule', namespace: dr.namespace, name: dr.name };
}

function drName(dr: PolicyResource, view: TrafficPolicyView): string {
  return `DestinationRule ${dr.namespace}/${dr.name}${
    view.where === 'trafficPolicy' ? '' : ` (${view.where})`
  }`;
}

/** Weights scaled to integers 1–100 summing to 100 (largest remainder), for a suggested fix. */
function fixWeights(
  keys: string[],
  weights: number[],
): Record<string, number> | undefined {
  const positive = weights.map(w => (Number.isFinite(w) && w > 0 ? w : 0));
  const sum = positive.reduce((s, w) => s + w, 0);
  if (
    keys.length === 0 ||
    keys.length > 100 ||
    sum <= 0 ||
    positive.some(w => w === 0)
  )
    return undefined;
  const exact = positive.map(w => (w * 100) / sum);
  const out = exact.map(e => Math.max(1, Math.floor(e)));
  let rest = 100 - out.reduce((s, w) => s + w, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--)
    out[order[k].i] += 1;
  for (let k = 0; rest < 0; k = (k + 1) % order.length) {
    const i = order[order.length - 1 - k].i;
    if (out[i] > 1) {
      out[i] -= 1;
      rest++;
    }
  }
  return Object.fromEntries(keys.map((k, i) => [k, out[i]]));
}

/** Localities that exist somewhere in the mesh: node labels, endpoint and pod localities. */
function knownLocalities(ctx: AnalysisContext): Locality[] {
  const seen = new Map<string, Locality>();
  const add = (region: string, zone: string) => {
    if (region) seen.set(`${region}/${zone}`, { region, zone });
  };
  for (const m of ctx.withData) {
    for (const l of m.data.nodes.byLocality) add(l.region, l.zone);
    for (const s of m.data.services)
      for (const e of s.endpoints) add(e.locality.region, e.locality.zone);
    for (const w of m.data.workloads)
      for (const l of w.localities) add(l.region, l.zone);
  }
  return [...seen.values()];
}

function localityExists(key: string, known: Locality[]): boolean {
  const { region, zone } = splitLocalityKey(key);
  if (region === '' || region === '*') return true;
  // Subzones are not in the snapshot; compare region and zone only.
  return known.some(l =>
    localityMatches(l, zone ? `${region}/${zone}` : region),
  );
}

/** MESH041, 043–045: a DestinationRule's localityLbSetting is valid and can take effect. */
export const localitySettingsCheck = defineCheck({
  name: 'localitySettings',
  inputs: ['destinationRules'],
  codes: ['MESH041', 'MESH043', 'MESH044', 'MESH045'],
  run: ctx => checkLocalitySettings(ctx, undefined),
});

/** MESH042: the localities a rule names exist somewhere (so it needs every cluster's localities). */
export const localityNamesCheck = defineCheck({
  name: 'localityNames',
  inputs: ['destinationRules', 'nodes', 'services', 'workloads'],
  codes: ['MESH042'],
  needsEveryCluster: true,
  run: ctx => checkLocalitySettings(ctx, knownLocalities(ctx)),
});

export const LOCALITY_CHECKS = [
  nodeLabelsCheck,
  localitySettingsCheck,
  localityNamesCheck,
];

/**
 * The traffic-policy views of a DestinationRule spec, read once for both locality checks (specs are shared and
 * never changed after parsing, so the spec object is the key).
 */
const viewsBySpec = new WeakMap<object, TrafficPolicyView[]>();
function policyViews(spec: Record<string, unknown>): TrafficPolicyView[] {
  let views = viewsBySpec.get(spec);
  if (!views) {
    views = trafficPolicies(spec);
    viewsBySpec.set(spec, views);
  }
  return views;
}

/** With `known`, only the locality names (MESH042); without, everything else. */
function checkLocalitySettings(
  ctx: AnalysisContext,
  known: Locality[] | undefined,
): Finding[] {
  const merger = new FindingMerger();
  for (const m of ctx.withData) {
    for (const dr of m.data.destinationRules) {
      const views = policyViews(dr.spec);
      const top = views[0];
      for (const view of views) {
        const ownLocality =
          view === top ||
          view.rawLocalityLbSetting !== top.rawLocalityLbSetting;
        const ownOutlier =
          view === top || view.outlierDetection !== top.outlierDetection;
        checkView(m.name, dr, view, { ownLocality, ownOutlier }, known, merger);
      }
    }
  }
  return merger.findings((input, clusters) => {
    const dr = input.resource!;
    return {
      ...input,
      hint: input.hint.replace(
        '{edit}',
        clusters
          .map(
            c =>
              `kubectl -n ${dr.namespace} edit destinationrule ${
                dr.name
              } ${ctxFlag(c)}`,
          )
          .join('; '),
      ),
    };
  });
}

type LocalitySetting = NonNullable<ReturnType<typeof localityOf>>;

/** The view's locality setting, when it has one in force. */
function localityOf(view: TrafficPolicyView) {
  const raw = view.rawLocalityLbSetting;
  const setting = view.localityLbSetting;
  if (!raw || !setting || setting.enabled === false) return undefined;
  return {
    setting,
    distribute: asArray(raw.distribute).filter(isRecord),
    failover: setting.failover ?? [],
  };
}

function checkView(
  cluster: string,
  dr: PolicyResource,
  view: TrafficPolicyView,
  own: { ownLocality: boolean; ownOutlier: boolean },
  known: Locality[] | undefined,
  merger: FindingMerger,
): void {
  const locality = localityOf(view);
  if (!locality) return;
  const { setting, distribute, failover } = locality;
  const resource = drResource(dr);
  const name = drName(dr, view);
  const key = (code: string, detail = '') =>
    `${code}|${dr.namespace}/${dr.name}|${view.where}|${detail}`;
  const failoverPriority = setting.failoverPriority ?? [];
  const explicitFailover = failover.length > 0 || failoverPriority.length > 0;

  if (known) {
    if (own.ownLocality)
      checkLocalityNames(cluster, dr, view, locality, known, merger);
    return;
  }

  if (own.ownLocality) {
    // MESH041: each weight an integer 1–100, the weights of a rule summing to exactly 100.
    distribute.forEach((rule, i) => {
      const from = asString(rule.from) ?? '';
      const entries = Object.entries(asRecord(rule.to));
      const weights = entries.map(([, w]) => asNumber(w) ?? NaN);
      const bad = entries.filter(([, w]) => {
        const n = asNumber(w);
        return n === undefined || !Number.isInteger(n) || n < 1 || n > 100;
      });
      const sum = weights.reduce((s, w) => s + (Number.isFinite(w) ? w : 0), 0);
      if (bad.length === 0 && sum === 100) return;
      const problems = [
        ...bad.map(
          ([k, w]) =>
            `weight of "${k}" is ${JSON.stringify(
              w,
            )} (must be an integer 1–100)`,
        ),
        ...(sum !== 100 ? [`weights sum to ${sum}, not 100`] : []),
      ];
      const fixed = fixWeights(
        entries.map(([k]) => k),
        weights,
      );
      merger.add(key('MESH041', `${i}`), cluster, {
        code: 'MESH041',
        message: `${name}: distribute rule from "${from}": ${problems.join(
          '; ',
        )}. istiod rejects it, so the rule is not applied.`,
        resource,
        idParts:
          view.where === 'trafficPolicy'
            ? [`rule-${i}`]
            : [view.where, `rule-${i}`],
        hint: `Weights per \`from\` must be integers 1–100 summing to 100${
          fixed
            ? `, e.g. to: {${Object.entries(fixed)
                .map(([k, w]) => `"${k}": ${w}`)
                .join(', ')}}`
            : ''
        }: {edit}`,
      });
    });

    // MESH044: istiod rejects distribute together with failover.
    if (distribute.length > 0 && failover.length > 0) {
      merger.add(key('MESH044'), cluster, {
        code: 'MESH044',
        message: `${name} sets both distribute and failover; istiod rejects the combination ("can not simultaneously specify 'distribute' and 'failover'").`,
        resource,
        idParts: view.where === 'trafficPolicy' ? [] : [view.where],
        hint: `Keep one: distribute (fixed weights per source locality) or failover (priorities, with outlierDetection): {edit}`,
      });
    }
  }

  if (!own.ownLocality && !own.ownOutlier) return;
  if (!explicitFailover || distribute.length > 0) return;
  const od = view.outlierDetection;
  if (!od) {
    // MESH043: without outlierDetection istiod assigns no priorities, so failover never happens.
    merger.add(key('MESH043'), cluster, {
      code: 'MESH043',
      message: `${name} sets locality ${
        failover.length > 0 ? 'failover' : 'failoverPriority'
      } but no outlierDetection: istiod assigns no priorities and requests go round robin to every endpoint, local or not; nothing fails over.`,
      resource,
      idParts: view.where === 'trafficPolicy' ? [] : [view.where],
      hint: `Add outlierDetection next to the loadBalancer setting, e.g. outlierDetection: {consecutive5xxErrors: 1, interval: 10s, baseEjectionTime: 600s, maxEjectionPercent: 100}: {edit}`,
    });
    return;
  }
  // MESH045: Envoy ejects at most maxEjectionPercent of the hosts (default 10%, at least one).
  const max = od.maxEjectionPercent;
  if ((max ?? 10) < 100) {
    merger.add(key('MESH045', String(max)), cluster, {
      code: 'MESH045',
      message: `${name} fails over by locality but outlierDetection.maxEjectionPercent is ${
        max === undefined ? 'unset (Envoy default 10%)' : `${max}%`
      }: Envoy cannot eject every failing endpoint of a locality, so traffic never fully fails over.`,
      resource,
      idParts: view.where === 'trafficPolicy' ? [] : [view.where],
      hint: `Set outlierDetection.maxEjectionPercent: 100: {edit}`,
    });
  }
}

function checkLocalityNames(
  cluster: string,
  dr: PolicyResource,
  view: TrafficPolicyView,
  { distribute, failover }: LocalitySetting,
  known: Locality[],
  merger: FindingMerger,
): void {
  const resource = drResource(dr);
  const name = drName(dr, view);
  // MESH042: localities that exist in no cluster (a typo silently matches nothing).
  if (known.length > 0) {
    const named: Array<{ where: string; key: string }> = [];
    distribute.forEach(rule => {
      const from = asString(rule.from);
      if (from) named.push({ where: 'distribute from', key: from });
      for (const k of Object.keys(asRecord(rule.to)))
        named.push({ where: 'distribute to', key: k });
    });
    for (const f of failover) {
      if (f.from) named.push({ where: 'failover from', key: f.from });
      if (f.to) named.push({ where: 'failover to', key: f.to });
    }
    const unknown = named.filter(n => !localityExists(n.key, known));
    if (unknown.length > 0) {
      const list = unknown.map(u => `${u.where} "${u.key}"`).join(', ');
      const knownList = known
        .map(l => `${l.region}/${l.zone}`)
        .sort(compareStrings)
        .slice(0, 10)
        .join(', ');
      merger.add(
        `MESH042|${dr.namespace}/${dr.name}|${view.where}|${list}`,
        cluster,
        {
          code: 'MESH042',
          message: `${name} names localities that exist in no cluster of the mesh: ${list}. They match no endpoint.`,
          resource,
          idParts: view.where === 'trafficPolicy' ? [] : [view.where],
          hint: `Use region/zone/subzone values of the nodes (wildcard * only at the end), known: ${knownList}; or label the nodes (${LABELS.region}, ${LABELS.zone}): {edit}`,
        },
      );
    }
  }
}
