export interface Config {
  /**
   * The clusters are read from the Kubernetes plugin's configuration, so that the Kubernetes tab and the mesh tab
   * see the same clusters. Only what the service-mesh plugin reads is declared here (with the same visibilities
   * as the Kubernetes plugin), so credentials stay secret even when that plugin is not installed.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /**
       * Only `config` locators are read by the service-mesh plugin.
       * @visibility frontend
       */
      type: string;
      clusters?: Array<{
        /** @visibility frontend */
        name: string;
        /** @visibility frontend */
        url: string;
        /**
         * `serviceAccount` is the only provider the service-mesh plugin can use for its background refresh.
         * @visibility frontend
         */
        authProvider?: string;
        /** @visibility secret */
        serviceAccountToken?: string;
        /** @visibility secret */
        caData?: string;
        /** @visibility secret */
        caFile?: string;
        /** @visibility frontend */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };

  /** Configuration of the service-mesh plugins. */
  serviceMesh?: {
    /**
     * Cluster that holds the Alauda ServiceMesh resources (Alauda's `global` cluster). It is not a mesh member and
     * only ServiceMesh resources are read there. Without it, ServiceMesh resources are looked up on every cluster.
     */
    managementCluster?: string;
    /**
     * A kubeconfig file whose every context is a cluster, in addition to `kubernetes.clusterLocatorMethods`.
     * Credentials come from the file.
     */
    kubeconfig?: string;
    /** Seconds between two reads of every cluster. Default 30. */
    refreshIntervalSeconds?: number;
    /** Seconds after which a cluster that has not answered is marked unreachable. Default 10. */
    clusterTimeoutSeconds?: number;
    /** The clusters that form the mesh; when set, only these (and the management cluster) are read. */
    members?: string[];
    /** Clusters configured for the Kubernetes plugin that are not part of the mesh. */
    exclude?: string[];
  };
}
