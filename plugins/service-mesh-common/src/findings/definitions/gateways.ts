import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS, istioSource, KUBERNETES_DOCS } from './references';

const NETWORK_GATEWAYS = istioSource(
  'pilot/pkg/serviceregistry/kube/controller/network.go',
  'network gateways from Services labelled topology.istio.io/network',
);
const CONVERT_SERVICE = istioSource(
  'pilot/pkg/serviceregistry/kube/conversion.go',
  'ConvertService: LoadBalancer ingress, externalIPs, NodePort node ports',
);
const EP_FILTERS = istioSource(
  'pilot/pkg/xds/endpoints/ep_filters.go',
  'EndpointsByNetworkFilter: gateways replace remote-network endpoints',
);
const NETWORK_MANAGER = istioSource(
  'pilot/pkg/model/network.go',
  'meshNetworks gateways, RESOLVE_HOSTNAME_GATEWAYS',
);

export const GATEWAY_FINDINGS = defineFindingCategory({
  id: 'gateways',
  title:
    'East-west gateways (only when the members are on more than one network)',
  codes: {
    MESH030: {
      severity: 'error',
      title: 'No east-west gateway',
      description:
        'The mesh spans several networks and this cluster has no east-west gateway, so other networks cannot reach its workloads.',
      scope: 'cluster',
      fix: '`samples/multicluster/gen-eastwest-gateway.sh --network <network> | istioctl install -y -f - --context=<cluster>`, then `kubectl apply -n istio-system -f samples/multicluster/expose-services.yaml --context=<cluster>`. Alauda: enable the `eastwestGateways` component of the `ServiceMesh`.',
      docs: {
        explanation:
          "When the members carry more than one `topology.istio.io/network`, pods on one network cannot reach pod IPs on another. istiod then replaces a remote network's endpoints by the address of that network's east-west gateway; with no gateway for the network it still sends the pod IPs, and those connections fail. The gateway is found as a Service labelled `topology.istio.io/network`, in any cluster of the network (istiod falls back to every gateway of the network when the endpoint's cluster has none), so a cluster that shares another cluster's gateway is not reported. Single-network meshes need no east-west gateway and none of MESH030–036 is checked.",
        references: [
          ISTIO_DOCS.multiPrimaryMultiNetwork,
          NETWORK_GATEWAYS,
          EP_FILTERS,
        ],
      },
    },
    MESH031: {
      severity: 'warning',
      severityNote: 'error with 0 ready when it cuts a cluster off',
      title: 'East-west gateway replicas not ready',
      description:
        'The east-west gateway has fewer ready replicas than desired (none ready: error).',
      scope: 'cluster',
      fix: '`kubectl -n istio-system describe deployment/istio-eastwestgateway --context=<cluster>`; look for pending or crash-looping pods. Scaled to 0: `kubectl -n istio-system scale deployment/istio-eastwestgateway --replicas=2 --context=<cluster>`.',
      docs: {
        explanation:
          "The gateway Deployment is matched by the gateway Service's selector. With fewer ready replicas than desired, cross-network capacity is reduced; with none ready (or scaled to 0), every cross-network call to the cluster fails.",
        references: [ISTIO_DOCS.multiPrimaryMultiNetwork],
      },
    },
    MESH032: {
      severity: 'error',
      severityNote:
        'warning when the network is reached through another gateway',
      title: 'East-west gateway has no external address',
      description:
        'The east-west gateway Service has no address istiod publishes (no LoadBalancer ingress, no externalIPs, no ExternalIP of a node its traffic.istio.io/nodeSelector selects); istiod ignores it and remote networks get no route.',
      scope: 'cluster',
      fix: 'Fix the LoadBalancer controller (e.g. MetalLB) until `EXTERNAL-IP` is set, or: `kubectl -n istio-system patch service istio-eastwestgateway --context=<cluster> -p \'{"spec":{"externalIPs":["<reachable IP>"]}}\'`',
      docs: {
        explanation:
          "istiod uses a network gateway only when its Service has an address: for type LoadBalancer `status.loadBalancer.ingress` (the IP, else the hostname, which istiod resolves unless RESOLVE_HOSTNAME_GATEWAYS=false: MESH036), for any type `spec.externalIPs`, and for a NodePort Service with the annotation `traffic.istio.io/nodeSelector` the first ExternalIP of every node the selector matches, on the node port (nodes with only an InternalIP are skipped). A LoadBalancer stuck in `<pending>` leaves the network without a gateway, exactly as if there were none: other networks' clients still get the cluster's pod IPs, and their connections fail.",
        references: [
          ISTIO_DOCS.multiclusterTroubleshooting,
          NETWORK_GATEWAYS,
          CONVERT_SERVICE,
          KUBERNETES_DOCS.loadBalancerService,
        ],
      },
    },
    MESH033: {
      severity: 'error',
      title: 'East-west gateway does not expose its cross-network port',
      description:
        'The east-west gateway Service does not expose its cross-network mTLS port: 15443, or the port its networking.istio.io/gatewayPort label names.',
      scope: 'cluster',
      fix: '`kubectl -n istio-system patch service istio-eastwestgateway --context=<cluster> --type=json -p \'[{"op":"add","path":"/spec/ports/-","value":{"name":"tls","port":15443,"targetPort":15443}}]\'`',
      docs: {
        explanation:
          'Sidecars send cross-network requests to the remote gateway on its mTLS port: 15443 (the `tls` port of gen-eastwest-gateway.sh), or the Service port named by the label `networking.istio.io/gatewayPort` (an unparsable label falls back to 15443). A gateway Service without that port is not used as the network gateway (getDetails: neither the mTLS port nor the HBONE port 15008, which sidecars cannot use).',
        references: [ISTIO_DOCS.multiPrimaryMultiNetwork, NETWORK_GATEWAYS],
      },
    },
    MESH034: {
      severity: 'error',
      title: 'No cross-network Gateway',
      description:
        'There is no Istio Gateway with AUTO_PASSTHROUGH on the cross-network port (15443, or the gatewayPort label) selecting the east-west gateway; cross-network traffic is reset.',
      scope: 'cluster',
      fix: 'Apply in `istio-system`: `Gateway cross-network-gateway` with `selector: {istio: eastwestgateway}` and `servers: [{port: {number: 15443, name: tls, protocol: TLS}, tls: {mode: AUTO_PASSTHROUGH}, hosts: ["*.local"]}]`.',
      docs: {
        explanation:
          'The east-west gateway routes cross-network mTLS by its SNI (`outbound_.<port>_.<subset>_.<host>`) without terminating it. That takes an Istio `Gateway` with `tls.mode: AUTO_PASSTHROUGH` on the gateway\'s cross-network port whose selector matches the gateway pods (samples/multicluster/expose-services.yaml). The server port is a Service port (listening on its target port) or the target port itself (pilot/pkg/model/gateway.go resolvePorts), so with `networking.istio.io/gatewayPort: "443"` and `443 → 15443` either works. A passthrough Gateway whose selector matches none of the gateway\'s pod labels is reported too; without pod labels in the snapshot the selector is given the benefit of the doubt.',
        references: [
          ISTIO_DOCS.gateway,
          ISTIO_DOCS.multiPrimaryMultiNetwork,
          istioSource('pilot/pkg/model/gateway.go', 'resolvePorts'),
        ],
      },
    },
    MESH035: {
      severity: 'error',
      title: 'Network label missing or inconsistent',
      description:
        'The topology.istio.io/network label is missing on the istio-system namespace or the east-west gateway, or the two disagree.',
      scope: 'cluster',
      fix: '`kubectl label namespace istio-system topology.istio.io/network=<network> --context=<cluster>`; `kubectl -n istio-system label service istio-eastwestgateway topology.istio.io/network=<network> --context=<cluster>`; use one name per cluster.',
      docs: {
        explanation:
          "istiod puts a cluster's workloads on the network named by the `topology.istio.io/network` label of the istio-system namespace (or `values.global.network`, seen here in the mesh config), and finds that network's gateway by the same label on the gateway Service. Missing on the namespace, istiod sends raw pod IPs across networks; missing on the gateway, the gateway serves no network; different values, the workloads' network has no gateway.",
        references: [ISTIO_DOCS.multiPrimaryMultiNetwork, NETWORK_GATEWAYS],
      },
    },
    MESH036: {
      severity: 'error',
      title: 'Gateway hostname not resolved by istiod',
      description:
        "An istiod runs with RESOLVE_HOSTNAME_GATEWAYS=false and another network's east-west gateway has only hostname addresses: istiod drops that gateway, so its clients get no route to that network.",
      scope: 'cluster',
      fix: '`kubectl -n istio-system set env deployment/<istiod> RESOLVE_HOSTNAME_GATEWAYS=true --context=<cluster>` (the default), or give the gateway Service an IP address (`externalIPs`).',
      docs: {
        explanation:
          "A LoadBalancer that publishes a hostname (AWS ELB, for one) gives the gateway Service a hostname address. istiod resolves it itself and uses the IPs, unless its environment sets `RESOLVE_HOSTNAME_GATEWAYS=false`, in which case it logs `Failed parsing gateway address ... from Service Registry` and drops the gateway: that istiod's clients then dial the remote network's pod IPs. The finding names the istiod and the gateway; it fires only for gateways those clients need.",
        references: [NETWORK_MANAGER, CONVERT_SERVICE],
      },
    },
  },
});
