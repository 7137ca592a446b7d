import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS, istioSource, KUBERNETES_DOCS } from './references';

const NETWORK_GATEWAYS = istioSource(
  'pilot/pkg/serviceregistry/kube/controller/network.go',
  'network gateways from Services labelled topology.istio.io/network',
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
          "When the members carry more than one `topology.istio.io/network`, pods on one network cannot reach pod IPs on another. istiod then replaces a remote network's endpoints by the address of that network's east-west gateway; a cluster without one is unreachable from the other networks. The gateway is found as a Service labelled `topology.istio.io/network`. Single-network meshes need no east-west gateway and none of MESH030–035 is checked.",
        references: [ISTIO_DOCS.multiPrimaryMultiNetwork, NETWORK_GATEWAYS],
      },
    },
    MESH031: {
      severity: 'warning',
      severityNote: 'error with 0 ready',
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
      title: 'East-west gateway has no external address',
      description:
        'The east-west gateway Service has no LoadBalancer ingress and no externalIPs; istiod ignores it and remote networks get no route.',
      scope: 'cluster',
      fix: 'Fix the LoadBalancer controller (e.g. MetalLB) until `EXTERNAL-IP` is set, or: `kubectl -n istio-system patch service istio-eastwestgateway --context=<cluster> -p \'{"spec":{"externalIPs":["<reachable IP>"]}}\'`',
      docs: {
        explanation:
          'istiod uses a network gateway only when its Service has an address: `status.loadBalancer.ingress` (IP or hostname) or `spec.externalIPs`. A LoadBalancer stuck in `<pending>` leaves the network without a gateway, exactly as if there were none.',
        references: [
          ISTIO_DOCS.multiclusterTroubleshooting,
          NETWORK_GATEWAYS,
          KUBERNETES_DOCS.loadBalancerService,
        ],
      },
    },
    MESH033: {
      severity: 'error',
      title: 'East-west gateway does not expose 15443',
      description:
        'The east-west gateway Service does not expose port 15443, where cross-network mTLS traffic arrives.',
      scope: 'cluster',
      fix: '`kubectl -n istio-system patch service istio-eastwestgateway --context=<cluster> --type=json -p \'[{"op":"add","path":"/spec/ports/-","value":{"name":"tls","port":15443,"targetPort":15443}}]\'`',
      docs: {
        explanation:
          'Sidecars send cross-network requests to the remote gateway on 15443 (the `tls` port of gen-eastwest-gateway.sh); a gateway Service without that port is not used as the network gateway.',
        references: [ISTIO_DOCS.multiPrimaryMultiNetwork, NETWORK_GATEWAYS],
      },
    },
    MESH034: {
      severity: 'error',
      title: 'No cross-network Gateway',
      description:
        'There is no Istio Gateway with AUTO_PASSTHROUGH on 15443 selecting the east-west gateway; cross-network traffic is reset.',
      scope: 'cluster',
      fix: 'Apply in `istio-system`: `Gateway cross-network-gateway` with `selector: {istio: eastwestgateway}` and `servers: [{port: {number: 15443, name: tls, protocol: TLS}, tls: {mode: AUTO_PASSTHROUGH}, hosts: ["*.local"]}]`.',
      docs: {
        explanation:
          "The east-west gateway routes cross-network mTLS by its SNI (`outbound_.<port>_.<subset>_.<host>`) without terminating it. That takes an Istio `Gateway` with `tls.mode: AUTO_PASSTHROUGH` on 15443 whose selector matches the gateway pods (samples/multicluster/expose-services.yaml). A passthrough Gateway whose selector matches none of the gateway's pod labels is reported too; without pod labels in the snapshot the selector is given the benefit of the doubt.",
        references: [ISTIO_DOCS.gateway, ISTIO_DOCS.multiPrimaryMultiNetwork],
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
  },
});
