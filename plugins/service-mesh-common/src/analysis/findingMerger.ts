/*
 * Per-cluster observations of the same problem (e.g. one DestinationRule applied identically to three clusters)
 * become one finding naming every cluster.
 */
import type { Finding } from '../types/api';
import { type FindingInput, makeFinding } from './finding';

export class FindingMerger {
  private readonly entries = new Map<
    string,
    { input: Omit<FindingInput, 'clusters'>; clusters: Set<string> }
  >();

  /** `key` identifies the problem regardless of cluster (code, resource, details). */
  add(
    key: string,
    cluster: string,
    input: Omit<FindingInput, 'clusters'>,
  ): void {
    const entry = this.entries.get(key);
    if (entry) entry.clusters.add(cluster);
    else this.entries.set(key, { input, clusters: new Set([cluster]) });
  }

  /** `finish` may rewrite the input knowing all clusters (e.g. to name them in the hint). */
  findings(
    finish?: (
      input: Omit<FindingInput, 'clusters'>,
      clusters: string[],
    ) => Omit<FindingInput, 'clusters'>,
  ): Finding[] {
    return [...this.entries.values()].map(({ input, clusters }) => {
      const list = [...clusters].sort();
      return makeFinding({
        ...(finish ? finish(input, list) : input),
        clusters: list,
      });
    });
  }
}
