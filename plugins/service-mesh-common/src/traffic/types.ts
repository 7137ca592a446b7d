/*
 * Live traffic: what the sidecars measured (Istio standard metrics in a Prometheus-compatible store), next to
 * what the locality simulator expects. The backend reads the store; everything here is plain data, so the
 * comparison (MESH080/081) is a pure function that runs in tests without a store.
 */
import type { UnreachableDestination } from '../locality/types';
import type { Finding } from '../types/api';
import type { Locality } from '../types/snapshot';

/** The windows the traffic views offer. */
export const TRAFFIC_WINDOWS = ['5m', '1h', '24h'] as const;

export type TrafficWindow = (typeof TRAFFIC_WINDOWS)[number];

export const TRAFFIC_WINDOW_SECONDS: Readonly<Record<TrafficWindow, number>> = {
  '5m': 300,
  '1h': 3600,
  '24h': 86400,
};

export function isTrafficWindow(value: unknown): value is TrafficWindow {
  return (
    typeof value === 'string' &&
    (TRAFFIC_WINDOWS as readonly string[]).includes(value)
  );
}

/**
 * Whether live data could be read: `unconfigured` (no metrics URL in config or on a ServiceMesh resource),
 * `unreachable` (connection failed or timed out), `unauthorized` (401/403), `error` (any other failure).
 */
export type MetricsStatus =
  | 'ok'
  | 'unconfigured'
  | 'unreachable'
  | 'unauthorized'
  | 'error';

/**
 * Requests of one service from one source cluster to one destination cluster over the window, as the client
 * sidecars report them (`istio_requests_total{reporter="source"}`).
 */
export interface TrafficEdge {
  /** Destination service namespace and name. */
  namespace: string;
  service: string;
  /** Cluster names as Backstage knows them (Istio cluster IDs are mapped through the snapshot). */
  sourceCluster: string;
  destinationCluster: string;
  /** Requests in the window. */
  requests: number;
  /** Of which answered 5xx. */
  errors: number;
}

/** Cumulative latency histogram (`istio_request_duration_milliseconds_bucket`) for one edge over the window. */
export interface LatencyHistogram {
  namespace: string;
  service: string;
  sourceCluster: string;
  destinationCluster: string;
  /** Cumulative counts per upper bound (`le`, in ms; `+Inf` as the string Prometheus uses). */
  buckets: Array<{ le: string; count: number }>;
}

/** Everything read from the metrics store for one window. Plain JSON. */
export interface TrafficData {
  window: TrafficWindow;
  /** When the store was asked (the end of the window), ISO 8601. */
  measuredAt: string;
  edges: TrafficEdge[];
  histograms: LatencyHistogram[];
}

/** Thresholds of MESH080/081. */
export interface TrafficThresholds {
  /** MESH080: actual and expected share of a destination cluster differ by more than this many points. */
  splitDeviationPoints: number;
  /** MESH080/081 look only at flows with at least this many requests in the window (noise guard). */
  minRequests: number;
  /** MESH081: cross-cluster 5xx ratio above this (0–1). */
  crossClusterErrorRatio: number;
  /** MESH081: cross-cluster p95 above this multiple of the local p95. */
  crossClusterLatencyFactor: number;
}

export const DEFAULT_TRAFFIC_THRESHOLDS: Readonly<TrafficThresholds> = {
  splitDeviationPoints: 15,
  minRequests: 100,
  crossClusterErrorRatio: 0.01,
  crossClusterLatencyFactor: 3,
};

/** Latency percentiles (ms) of a set of calls; undefined when there were none. */
export interface LatencySummary {
  requests: number;
  p50?: number;
  p95?: number;
}

/** One destination cluster of a source cluster's requests to a service. */
export interface TrafficDestinationView {
  cluster: string;
  /** Same cluster as the source. */
  local: boolean;
  requestsPerSecond: number;
  /** Percent of the source's requests that went here (0–100). */
  actualShare: number;
  /** Percent the locality simulation expects; absent when there is no expectation. */
  expectedShare?: number;
  /** actualShare − expectedShare, in percentage points. */
  deviation?: number;
  /** 5xx / requests (0–1). */
  errorRatio: number;
}

/** A client locality (source cluster) of a service: where its requests went, and where they should go. */
export interface TrafficSourceView {
  cluster: string;
  /** The cluster's localities (region/zone of its nodes), from the snapshot. */
  localities: Locality[];
  requests: number;
  requestsPerSecond: number;
  destinations: TrafficDestinationView[];
  /** False when the requests are too few to compare with the expectation (MESH080 stays quiet). */
  enoughVolume: boolean;
  /** Largest |deviation| over the destinations; absent without an expectation. */
  maxDeviation?: number;
  /**
   * How the expectation was computed (simulation mode and the DestinationRule), for display, and the destination
   * clusters these clients cannot use (from the reachability model), with the reasons.
   */
  expectation?: {
    mode: string;
    policy?: string;
    unreachable?: UnreachableDestination[];
  };
}

export interface ServiceTrafficView {
  namespace: string;
  name: string;
  requests: number;
  requestsPerSecond: number;
  errorRatio: number;
  crossCluster: {
    requests: number;
    requestsPerSecond: number;
    errorRatio: number;
  };
  latency: { local: LatencySummary; crossCluster: LatencySummary };
  sources: TrafficSourceView[];
}

/** Requests between two clusters, every service together. */
export interface ClusterTrafficEdge {
  sourceCluster: string;
  destinationCluster: string;
  requests: number;
  requestsPerSecond: number;
  errorRatio: number;
}

/** Fields every traffic response carries: with a status other than `ok` the data fields are empty. */
export interface TrafficResponseBase {
  status: MetricsStatus;
  /** Why there is no live data (status other than `ok`). */
  reason?: string;
  window: TrafficWindow;
  /** When the data was measured (or the attempt made), ISO 8601. */
  generatedAt: string;
  /** Where the metrics were read: the URL without credentials, and where the URL came from. */
  source?: { url: string; from: 'config' | 'serviceMesh' };
  thresholds: TrafficThresholds;
}

/** `GET /traffic?entityRef=&window=` */
export interface EntityTrafficResponse extends TrafficResponseBase {
  entityRef: string;
  services: ServiceTrafficView[];
  /** MESH080/081 for the entity's services over this window. */
  findings: Finding[];
}

/** `GET /traffic/mesh?window=` */
export interface MeshTrafficResponse extends TrafficResponseBase {
  /** Every cluster that appears as a source or destination, members first. */
  clusters: string[];
  edges: ClusterTrafficEdge[];
  /** MESH080/081 for the whole mesh over this window. */
  findings: Finding[];
}
