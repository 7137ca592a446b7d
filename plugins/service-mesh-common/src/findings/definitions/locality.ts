import { defineFindingCategory } from '../definition';
import {
  ENVOY_DOCS,
  ISTIO_DOCS,
  istioSource,
  KUBERNETES_DOCS,
} from './references';

const VALIDATION = istioSource(
  'pkg/config/validation/agent/validation.go',
  'ValidateLocalityLbSetting',
);
const LOAD_BALANCER = istioSource(
  'pilot/pkg/networking/core/loadbalancer/loadbalancer.go',
  'locality priorities and weights',
);

export const LOCALITY_FINDINGS = defineFindingCategory({
  id: 'locality',
  title: 'Locality load balancing',
  intro:
    "The expected split follows the setting istiod picks (pilot/pkg/networking/core/loadbalancer/loadbalancer.go GetEffectiveLbSetting): a DestinationRule's `zoneAwareLbSetting`, else its `localityLbSetting`, else the Service's `trafficDistribution`, else the mesh's. Envoy's zone-aware routing (`zone_aware_lb_config`) is configured by Istio only for an explicit `zoneAwareLbSetting` (on Istio's master branch since July 2026, [istio/istio#60765](https://github.com/istio/istio/pull/60765); Istio 1.22, the demo's, never sets it); `trafficDistribution` and `localityLbSetting` give priorities and `locality_weighted_lb_config` instead. The simulator models that precedence and `zoneAwareLbSetting.enabled: false` (no priorities: requests spread over all healthy endpoints), and says so when an enabled one is in force: Envoy's zone-aware split depends on the calling service's own endpoints per zone, which a per-service simulation does not have.",
  codes: {
    MESH040: {
      severity: 'warning',
      title: 'Nodes without region/zone labels',
      description:
        'Nodes lack topology.kubernetes.io/region or zone labels, so locality load balancing cannot place their endpoints.',
      scope: 'cluster',
      fix: '`kubectl label nodes <node> topology.kubernetes.io/region=<region> topology.kubernetes.io/zone=<zone> --context=<cluster>`',
      docs: {
        explanation:
          "Istio takes a pod's locality from the `topology.kubernetes.io/region` and `zone` labels of its node. Endpoints on unlabelled nodes have an empty locality: they match no `distribute` or `failover` rule and fall into the lowest priority.",
        references: [ISTIO_DOCS.localityLb, KUBERNETES_DOCS.topologyLabels],
      },
    },
    MESH041: {
      severity: 'error',
      title: 'Invalid distribute weights',
      description:
        'A DestinationRule distribute rule has weights outside 1–100 or not summing to 100 (istiod rejects it).',
      scope: 'entity',
      fix: 'Edit the rule so each `to` weight is an integer 1–100 and they sum to 100: `kubectl -n <ns> edit destinationrule <name> --context=<cluster>`.',
      docs: {
        explanation:
          "istiod's validation rejects a `distribute` entry whose `to` weights are not integers 1–100 summing to 100. The finding's hint proposes the weights scaled to 100 (largest remainder).",
        references: [ISTIO_DOCS.localityDistribute, VALIDATION],
      },
    },
    MESH042: {
      severity: 'warning',
      title: 'Unknown locality in a policy',
      description:
        'A locality named in distribute from/to or failover exists in no cluster of the mesh.',
      scope: 'entity',
      fix: 'Use existing `region/zone/subzone` values (`*` only at the end) — the message lists the known localities — or label the nodes.',
      docs: {
        explanation:
          'A locality in `distribute` `from`/`to` or `failover` `from`/`to` that matches no node, endpoint or pod locality of any member is usually a typo; the rule then never applies. `region/zone/*` keys are fine. The check compares against every member, so it does not run while the nodes, Services or pods of a member could not be read (MESH098).',
        references: [ISTIO_DOCS.localityLbSetting, VALIDATION],
      },
    },
    MESH043: {
      severity: 'warning',
      title: 'Failover without outlierDetection',
      description:
        'A DestinationRule sets locality failover but no outlierDetection, so Envoy never fails over.',
      scope: 'entity',
      fix: 'Add to the same traffic policy: `outlierDetection: {consecutive5xxErrors: 1, interval: 10s, baseEjectionTime: 600s, maxEjectionPercent: 100}`.',
      docs: {
        explanation:
          'Without `outlierDetection` istiod assigns no locality priorities, so `failover` and `failoverPriority` have no effect and requests go round robin to every endpoint. Not reported for `distribute`, which works without it.',
        references: [
          ISTIO_DOCS.localityFailover,
          LOAD_BALANCER,
          ENVOY_DOCS.priorityLevels,
        ],
      },
    },
    MESH044: {
      severity: 'error',
      title: 'Both distribute and failover set',
      description:
        'A DestinationRule sets both distribute and failover; Istio rejects the combination.',
      scope: 'entity',
      fix: 'Keep one: `distribute` (fixed weights per source locality) or `failover` (priorities, with `outlierDetection`).',
      docs: {
        explanation:
          "istiod's validation refuses a `localityLbSetting` with both `distribute` and `failover`: weights and priorities are two different load-balancing modes.",
        references: [ISTIO_DOCS.localityLbSetting, VALIDATION],
      },
    },
    MESH045: {
      severity: 'warning',
      title: 'maxEjectionPercent blocks full failover',
      description:
        'outlierDetection.maxEjectionPercent is below 100 with failover, so Envoy cannot eject every failing endpoint and never fully fails over.',
      scope: 'entity',
      fix: '`outlierDetection.maxEjectionPercent: 100`',
      docs: {
        explanation:
          "Envoy's default `maxEjectionPercent` is 10%: when every endpoint of a locality fails, most of them stay in the pool and traffic keeps going there. Reported only with an explicit `failover` or `failoverPriority`.",
        references: [ISTIO_DOCS.outlierDetection, ENVOY_DOCS.outlierDetection],
      },
    },
  },
});
