export interface Config {
  /** Configuration of the service-mesh plugins. */
  serviceMesh?: {
    // The cluster keys (managementCluster, kubeconfig, members, exclude, clusterTimeoutSeconds) and the
    // kubernetes.* keys the plugin reads are declared by @internal/plugin-service-mesh-node (config.d.ts).
    /** Seconds between two reads of every cluster. Default 30. */
    refreshIntervalSeconds?: number;
    /**
     * `watch` (default): each resource is listed once and then watched (resourceVersion, bookmarks; 410
     * relists, a cut watch resumes with backoff); a change is published within about a second (debounced), the
     * scheduled refresh still reads istiod's debug view and the cluster list. A resource whose watch is forbidden
     * (403 on the verb `watch`) is listed every interval. `poll`: every refresh lists every resource of every
     * cluster, for API servers that forbid or cut long watches.
     */
    mode?: 'watch' | 'poll';
    /**
     * istiod's own view (`/debug/clusterz`, `/debug/syncz` on its monitoring port, reached as istioctl does: a
     * port-forward; RBAC: `create` and `get` on `pods/portforward` in the istiod namespace).
     */
    istiod?: {
      /** Read it. Default true. */
      enabled?: boolean;
      /**
       * `portForward` (default): `pods/portforward` (WebSocket), the only way a stock istiod (>= 1.11) answers,
       * since it serves /debug only to loopback or Istio-authenticated callers. `podProxy`: the pod proxy
       * subresource (RBAC: `get` on `pods/proxy`), for an istiod build that serves /debug to any caller.
       */
      transport?: 'portForward' | 'podProxy';
      /** Seconds each debug request may take. Default: half of `clusterTimeoutSeconds`. */
      timeoutSeconds?: number;
      /**
       * MESH015 reports proxies STALE or NOT SENT for longer than this, as of the syncz read. Default 5. A proxy
       * is reported at most `proxySyncIntervalSeconds` after it crossed the threshold.
       */
      staleProxyMinutes?: number;
      /**
       * Seconds between two reads of istiod's `/debug/syncz` (about 1 KB per connected proxy); between reads the
       * snapshot keeps the last result with its read time, shown as its age. `/debug/clusterz` (small; a remote
       * cluster istiod cannot sync is urgent) is read on every refresh. 0: syncz on every refresh too.
       * Default 900 (at 1 KB per proxy, what keeps watch mode's API bytes within 1 % of polling; docs/bench.md).
       */
      proxySyncIntervalSeconds?: number;
    };
    /**
     * Where the snapshot is kept and how replicas share its refresh (docs/production.md). The default keeps it
     * in the plugin's database: one replica reads the clusters per interval, every replica serves the result.
     */
    snapshot?: {
      /**
       * `database` (default): the plugin's own tables, shared by every replica on the same database.
       * `memory`: this process only; every replica then reads the clusters itself.
       */
      store?: 'database' | 'memory';
      /** Seconds between two looks at the stored snapshot's manifest row (one small query). Default 2. */
      pollIntervalSeconds?: number;
      /** Size of the chunks the gzipped snapshot is stored in, in KiB. Default 512. */
      chunkSizeKiB?: number;
      /**
       * Seconds without a heartbeat after which another replica releases the refresh run of a replica that
       * died, instead of waiting for the scheduler's task timeout and janitor. Keep it above the longest pause of
       * a refresh (the analysis of a 200k-endpoint mesh blocks for seconds). 0 disables it. Default 30.
       */
      takeoverAfterSeconds?: number;
    };
    /**
     * The history of finding counts behind the dashboard's findings trend (`GET /findings/trend`): one small row
     * per published snapshot, kept where the snapshot is kept (`snapshot.store`), pruned on each write.
     */
    findingsTrend?: {
      /** Hours of history kept. Default 168 (7 days). */
      retentionHours?: number;
      /** Rows kept at most, the oldest dropped first, whatever the retention. Default 20000. */
      maxPoints?: number;
    };
    /**
     * Live traffic: the Prometheus-compatible query API (VictoriaMetrics or Prometheus) holding Istio's standard
     * metrics (`istio_requests_total`, `istio_request_duration_milliseconds_bucket`).
     */
    metrics?: {
      /** Set to false to switch live traffic off. Default true. */
      enabled?: boolean;
      /**
       * Base URL of the query API, the part before `/api/v1/query`: `http://victoria-metrics:8428` (single
       * node), `http://vmselect:8481/select/0/prometheus` (cluster) or `http://prometheus:9090`. When set, it wins
       * over the ServiceMesh resources' `spec.prometheusURL`.
       */
      url?: string;
      /** Use `spec.prometheusURL` of the ServiceMesh resources when `url` is not set. Default true. */
      discoverFromServiceMesh?: boolean;
      /**
       * Sent as `Authorization: Bearer`. Also sent to a discovered URL when `url` is not set.
       * @visibility secret
       */
      bearerToken?: string;
      /** HTTP basic auth (VictoriaMetrics `-httpAuth.*`, vmauth). */
      basicAuth?: {
        /** @visibility secret */
        username: string;
        /** @visibility secret */
        password: string;
      };
      /** Seconds before a query counts as failed (status `unreachable`). Default 5. */
      timeoutSeconds?: number;
      /** Seconds a window's result is reused before the store is asked again. Default 60. */
      cacheTtlSeconds?: number;
      /** Window whose MESH080/081 join the overview and entity findings: 5m, 1h or 24h. Default 5m. */
      findingsWindow?: string;
      /** MESH080/081 ignore flows with fewer requests than this in the window. Default 100. */
      minRequests?: number;
    };
  };
}
