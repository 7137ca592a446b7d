import type {
  ClientSplit,
  Locality,
  SimulationInput,
  SimulationResult,
} from '@internal/plugin-service-mesh-common';
import { formatLocality } from '../../utils/format';
import { compareStrings } from '@internal/plugin-service-mesh-common';

export interface SplitColumn {
  key: string;
  cluster: string;
  locality: Locality;
}

function localityKey(cluster: string | undefined, locality: Locality): string {
  return [
    cluster ?? '',
    locality.region,
    locality.zone,
    locality.subzone ?? '',
  ].join('|');
}

export function clientKey(client: ClientSplit['client']): string {
  return localityKey(client.cluster, client.locality);
}

/** Destination localities of every given result, sorted by region/zone then cluster. */
export function splitColumns(results: SimulationResult[]): SplitColumn[] {
  const columns = new Map<string, SplitColumn>();
  for (const result of results) {
    for (const client of result.clients) {
      for (const share of client.shares) {
        const locality = {
          region: share.region,
          zone: share.zone,
          ...(share.subzone ? { subzone: share.subzone } : {}),
        };
        const key = localityKey(share.cluster, locality);
        if (!columns.has(key)) {
          columns.set(key, { key, cluster: share.cluster, locality });
        }
      }
    }
  }
  return [...columns.values()].sort(
    (a, b) =>
      compareStrings(formatLocality(a.locality), formatLocality(b.locality)) ||
      compareStrings(a.cluster, b.cluster),
  );
}

/** Percent of the client's requests that go to the column's locality. */
export function shareOf(client: ClientSplit, column: SplitColumn): number {
  return client.shares
    .filter(
      share =>
        localityKey(share.cluster, {
          region: share.region,
          zone: share.zone,
          subzone: share.subzone,
        }) === column.key,
    )
    .reduce((sum, share) => sum + share.share, 0);
}

export type Failure = { region: string; zone?: string };

/** The regions and zones of a simulation's endpoints, as what-if choices. */
export function failureOptions(
  input: SimulationInput,
): Array<{ value: string; label: string; failure: Failure }> {
  const regions = new Set<string>();
  const zones = new Map<string, Failure>();
  for (const group of input.endpoints) {
    const { region, zone } = group.locality;
    if (!region) continue;
    regions.add(region);
    if (zone) zones.set(`${region}/${zone}`, { region, zone });
  }
  return [
    ...[...regions].sort().map(region => ({
      value: `region:${region}`,
      label: `Region ${region}`,
      failure: { region },
    })),
    ...[...zones.entries()]
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([key, failure]) => ({
        value: `zone:${key}`,
        label: `Zone ${key}`,
        failure,
      })),
  ];
}
