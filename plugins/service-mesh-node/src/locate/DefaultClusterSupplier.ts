/*
 * Every cluster of `kubernetes.clusterLocatorMethods` (plus `serviceMesh.kubeconfig`), as a Kubernetes-plugin
 * KubernetesClustersSupplier. Each locator method is one source; a source that fails keeps its last answer and
 * is reported, so the catalog or the GKE API being down never removes clusters from the mesh view. On a duplicate
 * name the first source wins, as in the Kubernetes plugin's CombinedClustersSupplier (which warns too).
 */
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import type { ClusterSourceError } from '@internal/plugin-service-mesh-common';
import { sourceProblem } from '../auth/problems';
import type { ClusterSource, LocatedCluster } from './types';

/** @public */
export interface LocatedClusters {
  clusters: LocatedCluster[];
  sourceErrors: ClusterSourceError[];
}

export class DefaultClusterSupplier implements KubernetesClustersSupplier {
  readonly #sources: ClusterSource[];
  readonly #invalid: ClusterSourceError[];
  readonly #logger: LoggerService;
  readonly #lastGood = new Map<ClusterSource, LocatedCluster[]>();
  readonly #located = new WeakMap<ClusterDetails, LocatedCluster>();
  readonly #warned = new Set<string>();

  constructor(options: {
    sources: ClusterSource[];
    /** Locator methods that could not be set up (unknown type, invalid options). */
    invalid?: ClusterSourceError[];
    logger: LoggerService;
  }) {
    this.#sources = options.sources;
    this.#invalid = options.invalid ?? [];
    this.#logger = options.logger;
  }

  async getClusters(options?: {
    credentials?: BackstageCredentials;
  }): Promise<ClusterDetails[]> {
    return (await this.locate(options)).clusters.map(c => c.details);
  }

  /** Where a cluster that getClusters returned came from (undefined for clusters of another supplier). */
  locatedAs(details: ClusterDetails): LocatedCluster | undefined {
    return this.#located.get(details);
  }

  async locate(
    options: { credentials?: BackstageCredentials } = {},
  ): Promise<LocatedClusters> {
    const sourceErrors: ClusterSourceError[] = [...this.#invalid];
    const results = await Promise.all(
      this.#sources.map(async source => {
        try {
          const found = await source.locate(options);
          this.#lastGood.set(source, found);
          this.#warned.delete(`source:${source.name}`);
          return found;
        } catch (error) {
          const misconfigured = source.misconfigured?.(error);
          const problem = misconfigured
            ? { code: 'MESH095' as const, ...misconfigured }
            : sourceProblem(source.name, error);
          sourceErrors.push({ source: source.name, ...problem });
          this.#warnOnce(
            `source:${source.name}`,
            `${problem.message} — ${problem.hint}`,
          );
          return this.#lastGood.get(source) ?? [];
        }
      }),
    );
    const clusters: LocatedCluster[] = [];
    const names = new Set<string>();
    for (const located of results.flat()) {
      const name = located.details.name;
      if (names.has(name)) {
        this.#warnOnce(
          `duplicate:${name}`,
          `Duplicate cluster name '${name}' (from ${located.source}): the first one is read`,
        );
        continue;
      }
      names.add(name);
      this.#located.set(located.details, located);
      clusters.push(located);
    }
    return { clusters, sourceErrors };
  }

  #warnOnce(key: string, message: string) {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#logger.warn(message);
  }
}
