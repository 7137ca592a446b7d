export interface Config {
  serviceMesh?: {
    /**
     * Links from a finding to the tools that fix it. Templates take `{cluster}`, `{namespace}`, `{kind}` and
     * `{name}` (the finding's cluster and resource, URL-encoded); a link is shown only when every placeholder it
     * uses has a value.
     * @deepVisibility frontend
     */
    links?: {
      /** Kiali, e.g. `https://kiali.example.com/kiali/console/namespaces/{namespace}/services/{name}?clusterName={cluster}`. */
      kiali?: string;
      /** Grafana, e.g. `https://grafana.example.com/d/istio-service?var-namespace={namespace}&var-service={name}&var-cluster={cluster}`. */
      grafana?: string;
      /**
       * Optional: where the generated finding pages (`docs/findings/MESH010.md`) are published; the page's path is
       * appended, e.g. `https://github.com/acme/backstage-service-mesh/blob/main/`. When set, findings link there
       * instead of the plugin's own page for the code (`/service-mesh/findings/MESH010`, the same text).
       */
      findingDocsBaseUrl?: string;
    };
  };
}
