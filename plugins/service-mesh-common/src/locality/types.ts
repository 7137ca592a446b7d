/*
 * Inputs and outputs of the locality load-balancing simulator: the share of requests that each client locality
 * sends to each endpoint locality, as Envoy computes it from Istio's DestinationRule settings.
 */
import type { ReachabilityReason } from '../types/reachability';
import type { Locality } from '../types/snapshot';
import type { TrafficDistribution } from './trafficDistribution';

/** Endpoints of one service in one locality of one cluster, with their health as the client Envoy sees it. */
export interface SimEndpointGroup {
  cluster: string;
  network?: string;
  locality: Locality;
  healthy: number;
  unhealthy: number;
}

export interface LocalityLbSetting {
  enabled?: boolean;
  distribute?: Array<{ from: string; to: Record<string, number> }>;
  failover?: Array<{ from: string; to: string }>;
  failoverPriority?: string[];
}

export interface OutlierDetectionSetting {
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  interval?: string;
  baseEjectionTime?: string;
  maxEjectionPercent?: number;
  minHealthPercent?: number;
}

/** The traffic policy in force for a service (DestinationRule `trafficPolicy`), reduced to what matters here. */
export interface SimTrafficPolicy {
  localityLbSetting?: LocalityLbSetting;
  /**
   * The DestinationRule's `loadBalancer.zoneAwareLbSetting` (Istio master since July 2026): `enabled` as set
   * (unset: on). It wins over localityLbSetting and the Service's traffic distribution (GetEffectiveLbSetting).
   */
  zoneAwareLbSetting?: { enabled: boolean };
  outlierDetection?: OutlierDetectionSetting;
  /** Where it came from, for display: cluster/namespace/name of the DestinationRule. */
  source?: { cluster?: string; namespace: string; name: string };
}

export interface SimClient {
  locality: Locality;
  cluster?: string;
  network?: string;
}

/**
 * How requests from a client cluster fare at an endpoint cluster, from the reachability model (pairs not listed
 * are reachable): `excluded`, the client's istiod does not discover those endpoints, so they are not in its
 * load-balancing set; `fails`, they are, but connections to them fail (no route to another network, no shared
 * root CA).
 */
export interface SimReachability {
  /** The client cluster. */
  from: string;
  /** The endpoint cluster. */
  to: string;
  outcome: 'excluded' | 'fails';
  reasons: ReachabilityReason[];
}

export interface SimulationInput {
  endpoints: SimEndpointGroup[];
  /** Client cluster → endpoint cluster pairs that are not plainly reachable (absent: every pair is). */
  reachability?: SimReachability[];
  policy?: SimTrafficPolicy;
  /** Mesh-wide `localityLbSetting.enabled`; Istio's default is true. */
  meshLocalityLbEnabled?: boolean;
  /**
   * The Service's traffic distribution (spec.trafficDistribution or Istio's annotation, resolved by
   * resolveTrafficDistribution); used when no DestinationRule sets localityLbSetting.
   */
  trafficDistribution?: TrafficDistribution;
  /** Client localities to compute; default: every locality that has endpoints. */
  clients?: SimClient[];
  /** What-if: localities whose endpoints are all failed (zone omitted: the whole region). */
  failed?: Array<{ region: string; zone?: string }>;
}

export type SimulationMode =
  | 'distribute'
  | 'failover'
  | 'failoverPriority'
  | 'none';

export interface LocalityShare {
  cluster: string;
  region: string;
  zone: string;
  subzone?: string;
  /** Envoy priority (0 = most preferred) after compaction. */
  priority: number;
  /** Percent of this client's requests, 0–100. */
  share: number;
  /** These requests are sent, and fail (the connection or the TLS handshake): a failure share. */
  fails?: boolean;
}

/** An endpoint cluster a client cannot use, and what happens to its requests there. */
export interface UnreachableDestination {
  cluster: string;
  /** excluded: not in the client's load-balancing set; fails: in it, but connections fail. */
  outcome: 'excluded' | 'fails';
  reasons: ReachabilityReason[];
  /**
   * For `fails` with outlierDetection: Envoy ejects those endpoints after their first failed requests, so they take
   * no share in the steady state (after each ejection time, a few requests fail again).
   */
  ejected?: boolean;
}

export interface ClientSplit {
  client: SimClient;
  /** True when no endpoint can take traffic (Envoy answers 503 `no healthy upstream`). */
  noHealthyUpstream: boolean;
  shares: LocalityShare[];
  /** Endpoint clusters this client cannot use, with the reasons (absent when it can use all). */
  unreachable?: UnreachableDestination[];
  /** Percent of this client's requests sent to endpoints whose connections fail (absent: 0). */
  failingShare?: number;
}

export interface SimulationResult {
  mode: SimulationMode;
  /** Human-readable explanations of what applies (e.g. failover ignored without outlierDetection). */
  notes: string[];
  clients: ClientSplit[];
}
