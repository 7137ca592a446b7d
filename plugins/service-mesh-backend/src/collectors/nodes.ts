/*
 * Node localities, from the region/zone labels only (nodes are listed as metadata). Istio places every endpoint
 * in the locality of its pod's node, so locality load balancing depends on these labels.
 */
import {
  LABELS,
  Locality,
  NodeLocalities,
  compareStrings,
} from '@internal/plugin-service-mesh-common';
import { mapEach, MappingContext } from './objects';

const LEGACY_REGION = 'failure-domain.beta.kubernetes.io/region';
const LEGACY_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const MAX_UNLABELLED_LISTED = 50;

export interface NodesData {
  localities: NodeLocalities;
  /** Node name → locality, for placing pods and endpoints. */
  nodeLocality: Map<string, Locality>;
}

export function mapNodes(items: unknown[], ctx: MappingContext): NodesData {
  const nodeLocality = new Map<string, Locality>();
  const counts = new Map<
    string,
    { region: string; zone: string; nodes: number }
  >();
  const unlabelled: string[] = [];
  let unlabelledCount = 0;

  mapEach(items, 'Node', ctx, (_obj, meta) => {
    const locality = nodeLabelsLocality(meta.labels);
    nodeLocality.set(meta.name, locality);
    if (!locality.region || !locality.zone) {
      unlabelledCount++;
      if (unlabelled.length < MAX_UNLABELLED_LISTED) unlabelled.push(meta.name);
      return true;
    }
    const key = `${locality.region}/${locality.zone}`;
    const entry = counts.get(key) ?? {
      region: locality.region,
      zone: locality.zone,
      nodes: 0,
    };
    entry.nodes++;
    counts.set(key, entry);
    return true;
  });

  const byLocality = [...counts.values()].sort(
    (a, b) =>
      compareStrings(a.region, b.region) || compareStrings(a.zone, b.zone),
  );
  return {
    localities: {
      total: nodeLocality.size,
      byLocality,
      unlabelled,
      unlabelledCount,
    },
    nodeLocality,
  };
}

export function nodeLabelsLocality(labels: Record<string, string>): Locality {
  const subzone = labels[LABELS.subzone];
  return {
    region: labels[LABELS.region] ?? labels[LEGACY_REGION] ?? '',
    zone: labels[LABELS.zone] ?? labels[LEGACY_ZONE] ?? '',
    ...(subzone ? { subzone } : {}),
  };
}
