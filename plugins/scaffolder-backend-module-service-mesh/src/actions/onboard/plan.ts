/*
 * What the action would change on each cluster, from the validated state. An empty plan means the cluster is
 * already onboarded: applying it sends no write.
 */
import { LABELS } from '@internal/plugin-service-mesh-common';
import { desiredLabels, formatLabels, missingLabels } from './labels';
import { namesServing } from './revisions';
import {
  ClusterPlan,
  ClusterState,
  OnboardRequest,
  PEER_AUTHENTICATION_NAME,
} from './types';

export function planCluster(
  request: OnboardRequest,
  state: ClusterState,
): ClusterPlan {
  const revisionNames = request.revision
    ? namesServing(state, request.revision)
    : [];
  const desired = desiredFor(request, state.namespace?.labels, revisionNames);
  const createNamespace = !state.namespace;
  return {
    cluster: state.cluster,
    createNamespace,
    labelsToAdd: state.namespace
      ? missingLabels(state.namespace.labels, desired)
      : desired,
    createPeerAuthentication: request.strictMtls && !state.peerAuthentication,
    peerAuthenticationApiVersion: state.peerAuthenticationApiVersion,
    observed: state.namespace,
    peerAuthenticationPresent:
      request.strictMtls && Boolean(state.peerAuthentication),
    ...(revisionNames.length > 1 ? { revisionNames } : {}),
  };
}

/**
 * The labels the request wants on a namespace with `existing` labels: an `istio.io/rev` that already serves the
 * requested revision (one of `revisionNames`, e.g. a tag pointing at it) is kept instead of replaced.
 */
export function desiredFor(
  request: Pick<OnboardRequest, 'labelStyle' | 'revision'>,
  existing: Record<string, string> | undefined,
  revisionNames: string[] = request.revision ? [request.revision] : [],
): Record<string, string> {
  const desired = desiredLabels(request.labelStyle, request.revision);
  const rev = existing?.[LABELS.revision];
  if (rev !== undefined && revisionNames.includes(rev))
    delete desired[LABELS.revision];
  return desired;
}

export function isEmptyPlan(plan: ClusterPlan): boolean {
  return (
    !plan.createNamespace &&
    Object.keys(plan.labelsToAdd).length === 0 &&
    !plan.createPeerAuthentication
  );
}

/** `create namespace with labels {…}; create PeerAuthentication default (STRICT)`, or `nothing to change`. */
export function describePlan(namespace: string, plan: ClusterPlan): string {
  const steps: string[] = [];
  if (plan.createNamespace) {
    steps.push(
      `create namespace ${namespace} with labels {${formatLabels(
        plan.labelsToAdd,
      )}}`,
    );
  } else if (Object.keys(plan.labelsToAdd).length) {
    steps.push(
      `add labels {${formatLabels(
        plan.labelsToAdd,
      )}} to namespace ${namespace}`,
    );
  }
  if (plan.createPeerAuthentication) {
    steps.push(
      `create PeerAuthentication ${namespace}/${PEER_AUTHENTICATION_NAME} (mTLS STRICT)`,
    );
  }
  return steps.length ? steps.join('; ') : 'nothing to change';
}
