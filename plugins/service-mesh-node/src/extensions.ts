/*
 * Where a platform team plugs into cluster access, with the Kubernetes plugin's own types
 * (@backstage/plugin-kubernetes-node): a supplier or strategy written for the Kubernetes plugin works here
 * unchanged. The service-mesh backend plugin registers both extension points; what its modules add is used by
 * every plugin that depends on serviceMeshClustersServiceRef (the scaffolder module too).
 */
import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  AuthenticationStrategy,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';

/**
 * Builds the cluster supplier; `getDefault` gives the one made from `kubernetes.clusterLocatorMethods`, to wrap
 * or extend.
 *
 * @public
 */
export type ServiceMeshClusterSupplierFactory = (opts: {
  getDefault: () => Promise<KubernetesClustersSupplier>;
}) => Promise<KubernetesClustersSupplier>;

/** @public */
export interface ServiceMeshClusterSupplierExtensionPoint {
  /** Replaces where clusters come from (once), like kubernetesClusterSupplierExtensionPoint. */
  addClusterSupplier(
    supplier: KubernetesClustersSupplier | ServiceMeshClusterSupplierFactory,
  ): void;
}

/** @public */
export const serviceMeshClusterSupplierExtensionPoint =
  createExtensionPoint<ServiceMeshClusterSupplierExtensionPoint>({
    id: 'service-mesh.cluster-supplier',
  });

/** @public */
export interface ServiceMeshAuthStrategyExtensionPoint {
  /**
   * Adds (or replaces) the strategy for the auth provider `key`, like kubernetesAuthStrategyExtensionPoint. It
   * runs in the background for every user, so it must not need the signed-in user's token.
   */
  addAuthStrategy(key: string, strategy: AuthenticationStrategy): void;
}

/** @public */
export const serviceMeshAuthStrategyExtensionPoint =
  createExtensionPoint<ServiceMeshAuthStrategyExtensionPoint>({
    id: 'service-mesh.auth-strategy',
  });

/**
 * What modules added through the two extension points.
 *
 * @public
 */
export class ServiceMeshClusterExtensions
  implements
    ServiceMeshClusterSupplierExtensionPoint,
    ServiceMeshAuthStrategyExtensionPoint
{
  #clusterSupplier?: ServiceMeshClusterSupplierFactory;
  readonly #authStrategies = new Map<string, AuthenticationStrategy>();

  get clusterSupplier(): ServiceMeshClusterSupplierFactory | undefined {
    return this.#clusterSupplier;
  }

  get authStrategies(): ReadonlyMap<string, AuthenticationStrategy> {
    return this.#authStrategies;
  }

  addClusterSupplier(
    supplier: KubernetesClustersSupplier | ServiceMeshClusterSupplierFactory,
  ): void {
    if (this.#clusterSupplier) {
      throw new Error(
        'A service-mesh cluster supplier was already added; wrap the default with getDefault instead of adding two',
      );
    }
    this.#clusterSupplier =
      typeof supplier === 'function' ? supplier : async () => supplier;
  }

  addAuthStrategy(key: string, strategy: AuthenticationStrategy): void {
    // The same rule as the Kubernetes plugin's extension point.
    if (key.includes('-'))
      throw new Error(`Strategy name can not include dashes: '${key}'`);
    this.#authStrategies.set(key, strategy);
  }

  /** Takes over what `other` collected (the plugin's extension points → the service shared by every plugin). */
  addAll(other: ServiceMeshClusterExtensions): void {
    if (other.clusterSupplier) this.addClusterSupplier(other.clusterSupplier);
    for (const [key, strategy] of other.authStrategies)
      this.addAuthStrategy(key, strategy);
  }
}
