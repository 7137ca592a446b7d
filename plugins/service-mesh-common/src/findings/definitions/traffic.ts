import { defineFindingCategory } from '../definition';
import { ENVOY_DOCS, ISTIO_DOCS } from './references';

export const TRAFFIC_FINDINGS = defineFindingCategory({
  id: 'traffic',
  title: 'Live traffic',
  intro:
    "These two come from what the sidecars measured, not from the snapshot: `analyzeTraffic` compares Istio's standard metrics in the mesh's Prometheus or VictoriaMetrics (see [docs/live-traffic.md](docs/live-traffic.md)) with the locality simulation. The overview and entity findings carry those of `serviceMesh.metrics.findingsWindow` (default `5m`); the traffic panels show those of the window they display. Flows under `serviceMesh.metrics.minRequests` requests in the window (default 100) are not judged. Without a reachable metrics store neither code is raised.",
  codes: {
    MESH080: {
      severity: 'warning',
      title: 'Live traffic differs from the expected split',
      description:
        'The measured split from a client locality differs from the split the traffic policies predict by more than 15 percentage points.',
      scope: 'entity',
      fix: "Compare the DestinationRule the client cluster applies (`kubectl -n <ns> get destinationrules -o yaml --context=<cluster>`) with the expected split on the entity's Traffic split and Live traffic panels; look for ejected or unhealthy endpoints as the clients see them (`istioctl proxy-config endpoint deploy/<client> -n <ns> --context=<cluster> | grep <host>`). Clients without a sidecar, or with their own DestinationRule (`workloadSelector`), bypass the rule.",
      docs: {
        explanation:
          "Over the window, the requests of one client cluster to a service are summed per destination cluster (`istio_requests_total`, reporter=source) and compared with the split the locality simulation predicts under the DestinationRule that cluster's istiod applies. A destination more than 15 percentage points away raises the finding.",
        references: [
          ISTIO_DOCS.metrics,
          ISTIO_DOCS.localityLb,
          ENVOY_DOCS.priorityLevels,
        ],
      },
    },
    MESH081: {
      severity: 'warning',
      title: 'Cross-cluster calls unhealthy',
      description:
        'Cross-cluster calls have a 5xx ratio above 1% or a p95 latency more than 3× the local p95.',
      scope: 'entity',
      fix: "Check the east-west gateways of the destination clusters (`kubectl -n istio-system get pods,svc -l istio=eastwestgateway --context=<cluster>`) and that 15443 is reachable from the clients; the client sidecars' access logs tell connection failures (response flags `UF`, `URX`, `UH`) from application 5xx (`kubectl logs deploy/<client> -c istio-proxy --context=<cluster>`).",
      docs: {
        explanation:
          "Calls to a service across clusters are unhealthy over the window when more than 1% of them answered 5xx, or when their p95 latency (`istio_request_duration_milliseconds`) is more than 3× the p95 of the calls that stayed in the client's cluster.",
        references: [
          ISTIO_DOCS.metrics,
          ISTIO_DOCS.multiclusterTroubleshooting,
        ],
      },
    },
  },
});
