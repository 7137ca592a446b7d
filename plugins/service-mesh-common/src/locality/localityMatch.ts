/*
 * Locality keys of DestinationRule `distribute`/`failover` (`region/zone/subzone`, terminal `*` wildcards), as
 * Istio's util.LocalityMatch reads them: region must equal or be `*`; an empty or `*` zone/subzone matches any.
 */
import type { Locality } from '../types/snapshot';

export function splitLocalityKey(key: string): {
  region: string;
  zone: string;
  subzone: string;
} {
  const [region = '', zone = '', subzone = ''] = key.split('/');
  return { region, zone, subzone };
}

export function localityMatches(locality: Locality, key: string): boolean {
  const rule = splitLocalityKey(key);
  const region = rule.region === '*' || locality.region === rule.region;
  const zone =
    rule.zone === '*' || rule.zone === '' || locality.zone === rule.zone;
  const subzone =
    rule.subzone === '*' ||
    rule.subzone === '' ||
    (locality.subzone ?? '') === rule.subzone;
  return region && zone && subzone;
}

/** `region/zone[/subzone]` (empty parts left out); `(no locality)` when nothing is labelled. */
export function formatLocality(
  locality: Pick<Locality, 'region'> & Partial<Locality>,
): string {
  const parts = [locality.region, locality.zone, locality.subzone].filter(
    part => part !== undefined && part !== '',
  );
  return parts.length > 0 ? parts.join('/') : '(no locality)';
}
