/*
 * The reachability model's output: for every ordered pair of mesh members (client cluster → destination
 * cluster), whether the client's control plane discovers the destination's endpoints, whether its proxies can
 * route to them, and whether the two trust each other's certificates, each "no" with the finding that explains
 * it. The locality simulator, the expected split, MESH080 and every view take reachability from here.
 */
import type { FindingCode } from '../findings/registry';

/** `unknown`: the data to decide could not be read (MESH092); the model then assumes `yes`. */
export type ReachabilityState = 'yes' | 'no' | 'unknown';

/** Why an aspect is "no": a finding that fires (its id is in the analysis' findings). */
export interface ReachabilityReason {
  code: FindingCode;
  findingId: string;
  /** A few words for a matrix cell or a table row, e.g. "no gateway address". */
  summary: string;
}

export interface ReachabilityAspect {
  state: ReachabilityState;
  reasons: ReachabilityReason[];
  /** How it was decided, for the cell's dialog. */
  notes: string[];
}

export interface RouteAspect extends ReachabilityAspect {
  /**
   * local: same cluster; direct: same network (pod IPs); gateway: through east-west gateways; pod-ip: another
   * network with no usable gateway, so istiod still sends the pod IPs and the connections fail.
   */
  via: 'local' | 'direct' | 'gateway' | 'pod-ip';
  /** The gateway addresses the client's proxies are given for the destination's endpoints. */
  gateways: Array<{
    cluster?: string;
    address: string;
    port: number;
    source: 'service' | 'meshNetworks';
  }>;
}

/**
 * What a request from the client to an endpoint of the destination does: reachable; fails (the endpoint is in
 * the client's load-balancing set, but the connection or the TLS handshake fails); excluded (the client's
 * istiod never sends the endpoint, so it takes no traffic).
 */
export type ReachabilityOutcome = 'reachable' | 'fails' | 'excluded';

export interface ClusterPairReachability {
  from: string;
  to: string;
  /** The client cluster whose istiod configures `from`'s proxies (itself, or a remote's config cluster). */
  controlPlane?: string;
  discovered: ReachabilityAspect;
  routable: RouteAspect;
  trusted: ReachabilityAspect;
  outcome: ReachabilityOutcome;
}

export interface NetworkGatewayView {
  cluster: string;
  /** Service namespace/name. */
  name: string;
  addresses: string[];
  /** The port other networks connect to (the node port of a NodePort gateway). */
  port: number;
  /** istiod publishes it (network, mTLS port, an address). */
  published: boolean;
  ready: boolean;
  /** An AUTO_PASSTHROUGH Gateway on its port selects its pods (undefined: unknown). */
  passthrough?: boolean;
  /** Codes of the findings about it. */
  problems: FindingCode[];
}

export interface NetworkView {
  /** `topology.istio.io/network`; '' when a cluster has none. */
  network: string;
  clusters: string[];
  gateways: NetworkGatewayView[];
}

export interface ReachabilityMatrix {
  /** Mesh members, in snapshot order (the management cluster is not one). */
  clusters: string[];
  multiNetwork: boolean;
  /** Every ordered pair of `clusters`, row by row (the diagonal included). */
  pairs: ClusterPairReachability[];
  networks: NetworkView[];
}
