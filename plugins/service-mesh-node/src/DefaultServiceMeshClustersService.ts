/*
 * Cluster access: located clusters (the Kubernetes plugin's locators, or a module's supplier), narrowed by the
 * serviceMesh settings, each with its access problem if it has one; and clients whose credentials come from the
 * auth strategies. A cluster that cannot be read server-side is still listed (with `problem`), so the snapshot
 * shows it with the finding that explains it while every other cluster is read.
 */
import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesClustersSupplier,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type { ClusterSourceError } from '@internal/plugin-service-mesh-common';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  CLIENT_SIDE_PROVIDERS,
  clientSideProblem,
  credentialProblem,
  invalidClusterProblem,
  missingCredentialProblem,
  sourceProblem,
  unknownProviderProblem,
} from './auth/problems';
import { defaultAuthStrategies } from './auth/strategies';
import { createKubeClient, KubeClient } from './client/KubeClient';
import { kubeConfigFor } from './client/kubeConfig';
import {
  isSelected,
  readServiceMeshClusterSettings,
  ServiceMeshClusterSettings,
} from './config';
import {
  ClusterAccessError,
  ClusterAccessProblem,
  isClusterAccessError,
} from './errors';
import { DefaultClusterSupplier } from './locate/DefaultClusterSupplier';
import { clusterSourcesFromConfig, ClusterSourceDeps } from './locate/sources';
import type { LocatedCluster } from './locate/types';
import type {
  MeshClientOptions,
  MeshCluster,
  MeshClusterList,
  ServiceMeshClustersService,
} from './types';
import { ServiceMeshClusterExtensions } from './extensions';

/** @public */
export interface DefaultServiceMeshClustersServiceOptions
  extends ClusterSourceDeps {
  config: Config;
  logger: LoggerService;
  /** For the catalog locator's requests; without it the catalog is asked with no credentials. */
  auth?: AuthService;
  /** Replaces the default strategy map (tests). */
  strategies?: Map<string, AuthenticationStrategy>;
  /** What modules added through the extension points; shared by every plugin using the service. */
  extensions?: ServiceMeshClusterExtensions;
}

/** @public */
export class DefaultServiceMeshClustersService
  implements ServiceMeshClustersService
{
  readonly #settings: ServiceMeshClusterSettings;
  readonly #logger: LoggerService;
  readonly #auth?: AuthService;
  readonly #strategies: Map<string, AuthenticationStrategy>;
  readonly #default: DefaultClusterSupplier;
  readonly #extensions: ServiceMeshClusterExtensions;
  #supplier?: Promise<KubernetesClustersSupplier>;
  #lastCustom: ClusterDetails[] = [];
  readonly #warned = new Set<string>();

  static fromConfig(
    options: DefaultServiceMeshClustersServiceOptions,
  ): DefaultServiceMeshClustersService {
    return new DefaultServiceMeshClustersService(options);
  }

  private constructor(options: DefaultServiceMeshClustersServiceOptions) {
    this.#settings = readServiceMeshClusterSettings(options.config);
    this.#logger = options.logger;
    this.#auth = options.auth;
    this.#extensions = options.extensions ?? new ServiceMeshClusterExtensions();
    this.#strategies =
      options.strategies ??
      defaultAuthStrategies({ config: options.config, logger: options.logger });
    const { sources, invalid } = clusterSourcesFromConfig(options.config, {
      ...options,
      settings: this.#settings,
    });
    this.#default = new DefaultClusterSupplier({
      sources,
      invalid,
      logger: options.logger,
    });
  }

  get settings(): ServiceMeshClusterSettings {
    return this.#settings;
  }

  /** What the service-mesh plugin's modules added through its extension points (see applyClusterExtensions). */
  addExtensions(extensions: ServiceMeshClusterExtensions): void {
    this.#extensions.addAll(extensions);
  }

  async listClusters(): Promise<MeshClusterList> {
    const credentials = this.#auth
      ? await this.#auth.getOwnServiceCredentials()
      : undefined;
    const { clusters: located, sourceErrors } = await this.#locate(credentials);
    const clusters: MeshCluster[] = [];
    for (const found of located) {
      const cluster = this.#toMeshCluster(found);
      if (!isSelected(this.#settings, cluster.name)) continue;
      if (cluster.problem)
        this.#warnOnce(
          `${cluster.name}:${cluster.problem.code}`,
          `Service mesh: ${cluster.problem.message}. ${cluster.problem.hint}`,
        );
      clusters.push(cluster);
    }
    return {
      clusters,
      managementCluster: this.#settings.managementCluster,
      members: this.#settings.members,
      sourceErrors,
    };
  }

  createClient(
    cluster: MeshCluster,
    options: MeshClientOptions = {},
  ): KubeClient {
    return createKubeClient(() => this.createKubeConfig(cluster), {
      signal: options.signal,
    });
  }

  async createKubeConfig(cluster: MeshCluster): Promise<KubeConfig> {
    if (cluster.problem) throw new ClusterAccessError(cluster.problem);
    if (cluster.kubeconfig)
      return kubeConfigFor(cluster, { type: 'anonymous' });
    return kubeConfigFor(cluster, await this.#credential(cluster));
  }

  async #credential(cluster: MeshCluster): Promise<KubernetesCredential> {
    const { name, authProvider } = cluster;
    const strategy = this.#strategyMap().get(authProvider);
    if (!strategy) {
      throw new ClusterAccessError(
        unknownProviderProblem(name, authProvider, this.#providers()),
      );
    }
    let credential: KubernetesCredential;
    try {
      credential = await strategy.getCredential(cluster.details, {});
    } catch (error) {
      if (isClusterAccessError(error)) throw error;
      throw new ClusterAccessError(
        credentialProblem(name, authProvider, error),
        { cause: error },
      );
    }
    // As KubernetesConnection.isCredentialMissing: only localKubectlProxy may go without credentials.
    if (credential.type === 'anonymous' && authProvider !== 'localKubectlProxy')
      throw new ClusterAccessError(
        missingCredentialProblem(name, authProvider),
      );
    return credential;
  }

  async #locate(credentials: BackstageCredentials | undefined) {
    const custom = this.#extensions.clusterSupplier;
    if (!custom) return this.#default.locate({ credentials });
    this.#supplier ??= custom({
      getDefault: async () => this.#default,
    });
    const sourceErrors: ClusterSourceError[] = [];
    let details: ClusterDetails[];
    try {
      const supplier = await this.#supplier;
      details = await supplier.getClusters({ credentials: credentials! });
      this.#lastCustom = details;
    } catch (error) {
      const source =
        'the cluster supplier of serviceMeshClusterSupplierExtensionPoint';
      sourceErrors.push({ source, ...sourceProblem(source, error) });
      details = this.#lastCustom;
    }
    const clusters = details.map(
      d =>
        this.#default.locatedAs(d) ??
        ({ details: d, source: 'custom' } as LocatedCluster),
    );
    return { clusters, sourceErrors };
  }

  #toMeshCluster(found: LocatedCluster): MeshCluster {
    const { details } = found;
    const authProvider =
      details.authMetadata?.[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
      'serviceAccount';
    const cluster: MeshCluster = {
      name: details.name,
      ...(details.title ? { title: details.title } : {}),
      url: details.url,
      authProvider,
      source: found.source,
      role:
        details.name === this.#settings.managementCluster
          ? 'management'
          : 'member',
      details,
      ...(found.kubeconfig ? { kubeconfig: found.kubeconfig } : {}),
    };
    const problem = this.#problemOf(cluster);
    return problem ? { ...cluster, problem } : cluster;
  }

  #problemOf(cluster: MeshCluster): ClusterAccessProblem | undefined {
    if (cluster.kubeconfig) return undefined;
    const { name, authProvider } = cluster;
    // A module may give a client-side name a server-side strategy; only the built-in ones are refused.
    const added = this.#extensions.authStrategies.has(authProvider);
    if (CLIENT_SIDE_PROVIDERS[authProvider] && !added)
      return clientSideProblem(name, authProvider);
    const strategy = this.#strategyMap().get(authProvider);
    if (!strategy)
      return unknownProviderProblem(name, authProvider, this.#providers());
    const errors = strategy.validateCluster(cluster.details.authMetadata ?? {});
    return errors.length
      ? invalidClusterProblem(name, authProvider, errors)
      : undefined;
  }

  #strategyMap(): Map<string, AuthenticationStrategy> {
    const added = this.#extensions.authStrategies;
    if (!added.size) return this.#strategies;
    return new Map([...this.#strategies, ...added]);
  }

  #providers(): string[] {
    return [...this.#strategyMap().keys()].sort();
  }

  #warnOnce(key: string, message: string) {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#logger.warn(message);
  }
}
