/*
 * Reading DestinationRule specs (kept as raw `spec` in the snapshot) into the settings the analysis and the
 * simulator use. Field names follow networking.istio.io/v1 DestinationRule.
 */
import type {
  LocalityLbSetting,
  OutlierDetectionSetting,
  SimTrafficPolicy,
} from '../locality/types';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  asStringArray,
  isRecord,
} from '../util/guards';

export function parseLocalityLbSetting(
  value: unknown,
): LocalityLbSetting | undefined {
  if (!isRecord(value)) return undefined;
  const out: LocalityLbSetting = {};
  const enabled = asBoolean(value.enabled);
  if (enabled !== undefined) out.enabled = enabled;
  if (Array.isArray(value.distribute)) {
    out.distribute = value.distribute.filter(isRecord).map(d => {
      const to: Record<string, number> = {};
      for (const [k, w] of Object.entries(asRecord(d.to))) {
        const n = asNumber(w);
        if (n !== undefined) to[k] = n;
      }
      return { from: asString(d.from) ?? '', to };
    });
  }
  if (Array.isArray(value.failover)) {
    out.failover = value.failover
      .filter(isRecord)
      .map(f => ({ from: asString(f.from) ?? '', to: asString(f.to) ?? '' }));
  }
  if (Array.isArray(value.failoverPriority)) {
    out.failoverPriority = asStringArray(value.failoverPriority);
  }
  return out;
}

/** Present (even `{}`) means Envoy outlier detection is on, which is what switches locality failover on. */
export function parseOutlierDetection(
  value: unknown,
): OutlierDetectionSetting | undefined {
  if (!isRecord(value)) return undefined;
  const out: OutlierDetectionSetting = {};
  const num = (k: keyof OutlierDetectionSetting & string) => {
    const n = asNumber(value[k]);
    if (n !== undefined) (out as Record<string, unknown>)[k] = n;
  };
  num('consecutive5xxErrors');
  num('consecutiveGatewayErrors');
  num('maxEjectionPercent');
  num('minHealthPercent');
  if (out.consecutive5xxErrors === undefined) {
    // Deprecated alias still accepted by Istio.
    const legacy = asNumber(value.consecutiveErrors);
    if (legacy !== undefined) out.consecutive5xxErrors = legacy;
  }
  const interval = asString(value.interval);
  if (interval) out.interval = interval;
  const baseEjectionTime = asString(value.baseEjectionTime);
  if (baseEjectionTime) out.baseEjectionTime = baseEjectionTime;
  return out;
}

/** One traffic policy of a DR (top level, a port, a subset or a subset's port) with what it inherits. */
export interface TrafficPolicyView {
  /** Where in the DR, for messages: `trafficPolicy`, `trafficPolicy.portLevelSettings[port 80]`, `subsets[v1]`. */
  where: string;
  localityLbSetting?: LocalityLbSetting;
  /** The raw `localityLbSetting` object, for validation messages (weights that did not parse). */
  rawLocalityLbSetting?: Record<string, unknown>;
  outlierDetection?: OutlierDetectionSetting;
  tlsMode?: string;
}

function view(
  where: string,
  policy: Record<string, unknown>,
  inherited?: TrafficPolicyView,
): TrafficPolicyView {
  const lb = asRecord(policy.loadBalancer);
  const rawLocality = isRecord(lb.localityLbSetting)
    ? lb.localityLbSetting
    : undefined;
  const od = parseOutlierDetection(policy.outlierDetection);
  const tlsMode = asString(asRecord(policy.tls).mode);
  // Istio merges subset/port policies over the top-level one field by field (loadBalancer, outlierDetection, tls).
  const out: TrafficPolicyView = { where };
  if (rawLocality) {
    out.rawLocalityLbSetting = rawLocality;
    out.localityLbSetting = parseLocalityLbSetting(rawLocality);
  } else if (inherited?.rawLocalityLbSetting) {
    out.rawLocalityLbSetting = inherited.rawLocalityLbSetting;
    out.localityLbSetting = inherited.localityLbSetting;
  }
  const outlierDetection = od ?? inherited?.outlierDetection;
  if (outlierDetection) out.outlierDetection = outlierDetection;
  const tls = tlsMode ?? inherited?.tlsMode;
  if (tls) out.tlsMode = tls;
  return out;
}

function portLabel(p: Record<string, unknown>): string {
  const port = asNumber(asRecord(p.port).number);
  return port === undefined ? '?' : String(port);
}

/** Every traffic policy a DR defines, each with the fields it inherits from the top level. */
export function trafficPolicies(
  spec: Record<string, unknown>,
): TrafficPolicyView[] {
  const top = asRecord(spec.trafficPolicy);
  const topView = view('trafficPolicy', top);
  const out: TrafficPolicyView[] = [topView];
  for (const p of asArray(top.portLevelSettings).filter(isRecord)) {
    out.push(
      view(`trafficPolicy.portLevelSettings[port ${portLabel(p)}]`, p, topView),
    );
  }
  for (const s of asArray(spec.subsets).filter(isRecord)) {
    if (!isRecord(s.trafficPolicy)) continue;
    const where = `subsets[${asString(s.name) ?? '?'}]`;
    const subsetView = view(`${where}.trafficPolicy`, s.trafficPolicy, topView);
    out.push(subsetView);
    for (const p of asArray(s.trafficPolicy.portLevelSettings).filter(
      isRecord,
    )) {
      out.push(
        view(
          `${where}.trafficPolicy.portLevelSettings[port ${portLabel(p)}]`,
          p,
          subsetView,
        ),
      );
    }
  }
  return out;
}

/** The top-level traffic policy of a DR, as the simulator models it (subsets and ports are not simulated). */
export function simTrafficPolicyOf(
  spec: Record<string, unknown>,
): Omit<SimTrafficPolicy, 'source'> {
  const top = trafficPolicies(spec)[0];
  const zoneAware = asRecord(
    asRecord(asRecord(spec.trafficPolicy).loadBalancer),
  ).zoneAwareLbSetting;
  return {
    ...(isRecord(zoneAware)
      ? {
          zoneAwareLbSetting: {
            enabled: asRecord(zoneAware).enabled !== false,
          },
        }
      : {}),
    ...(top.localityLbSetting
      ? { localityLbSetting: top.localityLbSetting }
      : {}),
    ...(top.outlierDetection ? { outlierDetection: top.outlierDetection } : {}),
  };
}
