/*
 * What the action would change on each cluster, from the validated state. An empty plan means the cluster is
 * already onboarded: applying it sends no write.
 */
import { desiredLabels, formatLabels, missingLabels } from './labels';
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
  const desired = desiredLabels(request.labelStyle, request.revision);
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
  };
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
