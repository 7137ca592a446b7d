/*
 * Shapes shared by the steps of the onboarding action: read (validate) → plan → apply → rollback.
 * Everything a checkpoint stores is plain JSON.
 */
import type { RevisionTag } from '@internal/plugin-service-mesh-common';

/**
 * Which labels mark the namespace as part of the mesh.
 *
 * @public
 */
export type LabelStyle = 'alauda' | 'revision' | 'injection';

export const LABEL_STYLES: readonly LabelStyle[] = [
  'alauda',
  'revision',
  'injection',
];

/** The action's inputs after defaults are applied and names are checked. */
export interface OnboardRequest {
  namespace: string;
  clusters: string[];
  /** Unset until resolved from the clusters (or for the `injection` style, which names no revision). */
  revision?: string;
  labelStyle: LabelStyle;
  createIfMissing: boolean;
  strictMtls: boolean;
  dryRun: boolean;
}

/** @public */
export interface NamespaceState {
  labels: Record<string, string>;
  resourceVersion?: string;
  /** `Terminating` while the namespace is being deleted. */
  phase?: string;
}

/** @public */
export interface PeerAuthenticationState {
  mode?: string;
  /** A workload selector narrows the policy to some pods, so it does not make the namespace STRICT. */
  hasSelector: boolean;
}

/** What validation read from one cluster. */
export interface ClusterState {
  cluster: string;
  /** Undefined when the namespace does not exist. */
  namespace?: NamespaceState;
  /** Revisions of the istiod Deployments in istio-system (`default` when unlabelled). */
  revisions: string[];
  /** Revision tags (`istio.io/tag` webhooks); absent in older checkpoints and when they could not be read. */
  revisionTags?: RevisionTag[];
  /** Why the revision tags could not be read (a 403 names the RBAC rule), when so. */
  revisionTagsProblem?: string;
  /** Only read when strictMtls is asked for; undefined when absent. */
  peerAuthentication?: PeerAuthenticationState;
  /** `security.istio.io/<version>` the cluster prefers, when strictMtls is asked for. */
  peerAuthenticationApiVersion?: string;
}

/** What the action would change on one cluster. */
export interface ClusterPlan {
  cluster: string;
  createNamespace: boolean;
  /** Labels the namespace lacks (all desired labels when it is created). */
  labelsToAdd: Record<string, string>;
  createPeerAuthentication: boolean;
  peerAuthenticationApiVersion?: string;
  /** The namespace as validation saw it, for the resourceVersion precondition of the first patch. */
  observed?: NamespaceState;
  /** The STRICT PeerAuthentication was asked for and already exists. */
  peerAuthenticationPresent: boolean;
  /**
   * `istio.io/rev` values that already send pods to the requested revision here (it, and revision tags pointing
   * at it): an existing one is kept, not replaced. Absent in older checkpoints: the revision only.
   */
  revisionNames?: string[];
}

/**
 * What the action did change on one cluster: enough to report it and to undo it. Stored by the checkpoint, so a
 * type alias (JSON-assignable) rather than an interface.
 */
export type ClusterChange = {
  cluster: string;
  namespaceCreated: boolean;
  labelsAdded: Record<string, string>;
  peerAuthenticationCreated: boolean;
  peerAuthenticationApiVersion?: string;
};

/** @public */
export type ClusterResultStatus =
  | 'changed'
  | 'unchanged'
  | 'dry-run'
  | 'rolled-back'
  | 'failed';

/**
 * One entry of the action's `results` output.
 *
 * @public
 */
export interface ClusterResult {
  cluster: string;
  namespace: string;
  created: boolean;
  labelsAdded: Record<string, string>;
  peerAuthentication: 'created' | 'unchanged' | 'skipped';
  status: ClusterResultStatus;
  error?: string;
}

export const PEER_AUTHENTICATION_NAME = 'default';
export const PEER_AUTHENTICATION_GROUP = 'security.istio.io';
