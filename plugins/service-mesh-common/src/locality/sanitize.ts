/*
 * Simulator input made safe: it may come from the browser's what-if form or an old cached response, and the
 * simulator must never throw. Endpoints are merged per (cluster, region, zone, subzone) and the what-if
 * failures are applied (every endpoint there becomes unhealthy).
 */
import type { TrafficDistribution } from './trafficDistribution';
import { parseLocality } from '../types/snapshot';
import {
  parseLocalityLbSetting,
  parseOutlierDetection,
} from '../analysis/destinationRuleSpec';
import type { Locality } from '../types/snapshot';
import {
  asArray,
  asBoolean,
  asCount,
  asRecord,
  asString,
  isRecord,
} from '../util/guards';
import type { ReachabilityReason } from '../types/reachability';
import type {
  SimClient,
  SimReachability,
  SimTrafficPolicy,
  SimulationInput,
} from './types';

export interface SimGroup {
  cluster: string;
  network?: string;
  locality: Locality;
  healthy: number;
  /** Healthy + unhealthy hosts. */
  total: number;
}

export interface SaneSimulationInput {
  groups: SimGroup[];
  /** `from\u0000to` → the pair's outcome and reasons. */
  reachability: Map<string, Pick<SimReachability, 'outcome' | 'reasons'>>;
  policy?: SimTrafficPolicy;
  meshLocalityLbEnabled?: boolean;
  trafficDistribution?: TrafficDistribution;
  clients?: SimClient[];
}

function isFailed(
  locality: Locality,
  failed: Array<{ region: string; zone?: string }>,
): boolean {
  return failed.some(
    f =>
      f.region === locality.region &&
      (f.zone === undefined || f.zone === locality.zone),
  );
}

export function sanitizeSimulationInput(
  input: SimulationInput,
): SaneSimulationInput {
  const raw = asRecord(input);
  const failed = asArray(raw.failed)
    .filter(isRecord)
    .map(f => ({ region: asString(f.region) ?? '', zone: asString(f.zone) }));

  const groups = new Map<string, SimGroup>();
  for (const e of asArray(raw.endpoints).filter(isRecord)) {
    const cluster = asString(e.cluster) ?? '';
    const locality = parseLocality(e.locality);
    let healthy = asCount(e.healthy);
    const total = healthy + asCount(e.unhealthy);
    if (total === 0) continue;
    if (isFailed(locality, failed)) healthy = 0;
    const key = [
      cluster,
      locality.region,
      locality.zone,
      locality.subzone ?? '',
    ].join('\u0000');
    const group = groups.get(key);
    if (group) {
      group.healthy += healthy;
      group.total += total;
    } else {
      const network = asString(e.network);
      groups.set(key, {
        cluster,
        ...(network ? { network } : {}),
        locality,
        healthy,
        total,
      });
    }
  }

  const reachability = new Map<
    string,
    Pick<SimReachability, 'outcome' | 'reasons'>
  >();
  for (const r of asArray(raw.reachability).filter(isRecord)) {
    const from = asString(r.from);
    const to = asString(r.to);
    if (!from || !to || (r.outcome !== 'excluded' && r.outcome !== 'fails'))
      continue;
    const reasons = asArray(r.reasons)
      .filter(isRecord)
      .flatMap((x): ReachabilityReason[] => {
        const code = asString(x.code);
        const findingId = asString(x.findingId);
        if (!code || !findingId) return [];
        return [
          {
            code: code as ReachabilityReason['code'],
            findingId,
            summary: asString(x.summary) ?? code,
          },
        ];
      });
    reachability.set(`${from}\u0000${to}`, { outcome: r.outcome, reasons });
  }

  const out: SaneSimulationInput = {
    groups: [...groups.values()],
    reachability,
  };
  if (isRecord(raw.policy)) {
    const localityLbSetting = parseLocalityLbSetting(
      raw.policy.localityLbSetting,
    );
    const outlierDetection = parseOutlierDetection(raw.policy.outlierDetection);
    const zoneAware = raw.policy.zoneAwareLbSetting;
    out.policy = {
      ...(localityLbSetting ? { localityLbSetting } : {}),
      ...(outlierDetection ? { outlierDetection } : {}),
      ...(isRecord(zoneAware)
        ? { zoneAwareLbSetting: { enabled: zoneAware.enabled !== false } }
        : {}),
    };
  }
  const meshEnabled = asBoolean(raw.meshLocalityLbEnabled);
  if (meshEnabled !== undefined) out.meshLocalityLbEnabled = meshEnabled;
  if (
    raw.trafficDistribution === 'PreferSameZone' ||
    raw.trafficDistribution === 'PreferSameNode'
  ) {
    out.trafficDistribution = raw.trafficDistribution;
  }
  if (Array.isArray(raw.clients)) {
    out.clients = raw.clients.filter(isRecord).map(c => {
      const cluster = asString(c.cluster);
      const network = asString(c.network);
      return {
        locality: parseLocality(c.locality),
        ...(cluster ? { cluster } : {}),
        ...(network ? { network } : {}),
      };
    });
  }
  return out;
}
