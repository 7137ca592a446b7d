import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS, istioSource } from './references';

export const MTLS_FINDINGS = defineFindingCategory({
  id: 'mtls',
  title: 'mTLS',
  codes: {
    MESH070: {
      severity: 'warning',
      title: 'mTLS mode differs across clusters',
      description:
        'The effective PeerAuthentication mode of a namespace differs across clusters (one-directional failures).',
      scope: 'entity',
      fix: 'Apply the same `PeerAuthentication` (`metadata.name: default`, `spec.mtls.mode: STRICT`) in the namespace on every cluster.',
      docs: {
        explanation:
          'The effective mode follows Istio: a workload-selector policy beats the namespace-wide one, which beats the mesh-wide one in the root namespace (istio-system); `UNSET` inherits from the next wider scope, and with nothing set the mode is PERMISSIVE. When clusters disagree, calls fail in one direction only (for example plaintext from a client without mTLS into a STRICT cluster).',
        references: [
          ISTIO_DOCS.peerAuthentication,
          ISTIO_DOCS.authenticationPolicies,
          istioSource('pilot/pkg/model/authentication.go'),
        ],
      },
    },
    MESH071: {
      severity: 'error',
      title: 'Cross-network traffic not ISTIO_MUTUAL',
      description:
        'Traffic to a remote network would not be Istio mTLS (PeerAuthentication DISABLE, DestinationRule tls.mode, or no sidecar), so istiod drops the remote endpoints.',
      scope: 'entity',
      fix: 'Remove `tls` from the DestinationRule (auto mTLS) or set `tls.mode: ISTIO_MUTUAL`; set the PeerAuthentication to STRICT/PERMISSIVE (`kubectl -n <ns> patch peerauthentication <name> --type=merge -p \'{"spec":{"mtls":{"mode":"STRICT"}}}\' --context=<cluster>`); inject sidecars and restart.',
      docs: {
        explanation:
          "An endpoint on another network is sent to a client only through the east-west gateway, and only when the connection would be ISTIO_MUTUAL: the gateway routes on the mTLS SNI with AUTO_PASSTHROUGH. istiod drops such endpoints when the client cluster's DestinationRule sets a `tls.mode` other than ISTIO_MUTUAL, when a PeerAuthentication disables mTLS for the workload, or when the pod has no sidecar. The client cluster's istiod decides with its own copies of the rules. Some pods without a sidecar is MESH063 only: the others still work across networks.",
        references: [
          ISTIO_DOCS.multiPrimaryMultiNetwork,
          istioSource(
            'pilot/pkg/xds/endpoints/ep_filters.go',
            'EndpointsByNetworkFilter',
          ),
          istioSource('pilot/pkg/xds/endpoints/mtls_checker.go'),
        ],
      },
    },
  },
});
