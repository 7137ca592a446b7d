export interface Config {
  /**
   * The clusters are read from the Kubernetes plugin's configuration, so the Kubernetes tab and the mesh tab see
   * the same clusters with the same credentials. Everything the service-mesh plugins read is declared here, with
   * the Kubernetes plugin's visibilities, so credentials stay secret even where that plugin is not installed.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /**
       * `config` (clusters listed here), `catalog` (Resource entities of spec.type kubernetes-cluster), `gke`
       * (the clusters of a GCP project) or `localKubectlProxy` (kubectl proxy on localhost:8001).
       * @visibility frontend
       */
      type: string;
      /** For `type: config`. */
      clusters?: Array<{
        /**
         * The cluster's name: for the mesh, the istiod CLUSTER_ID (as in remote secrets).
         * @visibility frontend
         */
        name: string;
        /** @visibility frontend */
        title?: string;
        /** API server URL. @visibility frontend */
        url: string;
        /**
         * Server-side providers the mesh snapshot can use: serviceAccount (default), aws, azure,
         * googleServiceAccount, localKubectlProxy, or one a module added. Client-side providers (google, oidc,
         * aks) work in the Kubernetes tab only; the mesh reports such a cluster as MESH094.
         * @visibility frontend
         */
        authProvider?: string;
        /**
         * Provider-specific settings, e.g. `kubernetes.io/x-k8s-aws-id`, `kubernetes.io/aws-assume-role`,
         * `kubernetes.io/aws-external-id`, `serviceAccountToken`. Every value is secret.
         * @deepVisibility secret
         */
        authMetadata?: {
          /** @visibility secret */
          serviceAccountToken?: string;
          [key: string]: string | undefined;
        };
        /**
         * Token of a service account with the plugin's ClusterRole (authProvider serviceAccount). Without it, the
         * backend's own in-cluster token is used when it runs in a pod.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * IAM role to assume for this cluster (authProvider aws).
         * @visibility secret
         */
        assumeRole?: string;
        /**
         * External id required by the role's trust policy (authProvider aws).
         * @visibility secret
         */
        externalId?: string;
        /** @visibility frontend */
        oidcTokenProvider?: string;
        /**
         * Base64 PEM of the API server's CA.
         * @visibility secret
         */
        caData?: string;
        /** @visibility secret */
        caFile?: string;
        /** @visibility frontend */
        skipTLSVerify?: boolean;
        /** @visibility frontend */
        skipMetricsLookup?: boolean;
      }>;
      /**
       * For `type: catalog`: hosts whose cluster URLs may use http:// or a private/loopback address.
       * @visibility frontend
       */
      dangerouslyAllowClusterUrls?: string[];
      /**
       * For `type: catalog`: honour the `kubernetes.io/skip-tls-verify` annotation.
       * @visibility frontend
       */
      dangerouslyAllowSkipTLSVerify?: boolean;
      /** For `type: gke`. @visibility frontend */
      projectId?: string;
      /** For `type: gke`: a region or zone, `-` (default) for all. @visibility frontend */
      region?: string;
      /** For `type: gke`: `googleServiceAccount` for the mesh (default `google`, client-side). @visibility frontend */
      authProvider?: string;
      /** For `type: gke`. @visibility frontend */
      skipTLSVerify?: boolean;
      /** For `type: gke`. @visibility frontend */
      skipMetricsLookup?: boolean;
      /** For `type: gke`. @visibility frontend */
      exposeDashboard?: boolean;
      /** For `type: gke`: `public` (default) or `dns`. @visibility frontend */
      endpointType?: string;
      /** For `type: gke`: only clusters with all these resource labels. */
      matchingResourceLabels?: Array<{ key: string; value: string }>;
    }>;
    /**
     * The JSON key of a Google service account, for authProvider googleServiceAccount (else Application Default
     * Credentials).
     * @visibility secret
     */
    googleServiceAccountCredentials?: string;
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
    /** Seconds after which a cluster that has not answered is marked unreachable. Default 10. */
    clusterTimeoutSeconds?: number;
    /** The clusters that form the mesh; when set, only these (and the management cluster) are read. */
    members?: string[];
    /** Clusters located for the Kubernetes plugin that are not part of the mesh. */
    exclude?: string[];
  };
}
