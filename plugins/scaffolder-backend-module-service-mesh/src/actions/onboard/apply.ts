/*
 * Applies one cluster's plan. Labels are merged with a JSON merge patch on metadata.labels only, guarded by the
 * resourceVersion the action read: if the namespace changed in between, the API server answers 409 and the
 * action re-reads it, re-checks for conflicts and tries again (a bounded number of times).
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { formatLabels, labelConflicts, missingLabels } from './labels';
import { isKubeStatus } from '@internal/plugin-service-mesh-node';
import { OnboardClusterClient } from './OnboardClusterClient';
import { desiredFor } from './plan';
import {
  ClusterChange,
  ClusterPlan,
  NamespaceState,
  OnboardRequest,
  PEER_AUTHENTICATION_NAME,
} from './types';

/** Tries of a write that meets a 409 Conflict (the first one included). */
export const MAX_ATTEMPTS = 3;

/** A cluster failed part-way; `change` is what had been changed on it before the failure. */
export class ClusterApplyError extends Error {
  readonly name = 'ClusterApplyError';

  constructor(message: string, readonly change: ClusterChange) {
    super(message);
  }
}

export interface ApplyClusterPlanOptions {
  client: OnboardClusterClient;
  request: OnboardRequest;
  plan: ClusterPlan;
  logger?: LoggerService;
}

export function noChange(
  plan: Pick<ClusterPlan, 'cluster' | 'peerAuthenticationApiVersion'>,
): ClusterChange {
  return {
    cluster: plan.cluster,
    namespaceCreated: false,
    labelsAdded: {},
    peerAuthenticationCreated: false,
    peerAuthenticationApiVersion: plan.peerAuthenticationApiVersion,
  };
}

/** Makes the cluster match the plan; throws a ClusterApplyError that tells what was changed before failing. */
export async function applyClusterPlan(
  options: ApplyClusterPlanOptions,
): Promise<ClusterChange> {
  const { client, request, plan, logger } = options;
  const ns = request.namespace;
  const change = noChange(plan);
  try {
    if (plan.createNamespace) {
      try {
        await client.createNamespace(ns, plan.labelsToAdd);
        change.namespaceCreated = true;
        change.labelsAdded = { ...plan.labelsToAdd };
        logger?.info(
          `${plan.cluster}: created namespace ${ns} with labels {${formatLabels(
            plan.labelsToAdd,
          )}}`,
        );
      } catch (error) {
        // Someone created it since validation: label theirs instead, with the same conflict checks.
        if (!isKubeStatus(error, 409)) throw error;
        change.labelsAdded = await ensureLabels({
          ...options,
          observed: undefined,
        });
      }
    } else if (Object.keys(plan.labelsToAdd).length) {
      change.labelsAdded = await ensureLabels({
        ...options,
        observed: plan.observed,
      });
    }

    if (plan.createPeerAuthentication) {
      const apiVersion = plan.peerAuthenticationApiVersion!;
      try {
        await client.createPeerAuthentication(ns, apiVersion);
        change.peerAuthenticationCreated = true;
        logger?.info(
          `${plan.cluster}: created PeerAuthentication ${ns}/${PEER_AUTHENTICATION_NAME} (mTLS STRICT)`,
        );
      } catch (error) {
        if (!isKubeStatus(error, 409)) throw error;
        const existing = await client.readPeerAuthentication(ns, apiVersion);
        if (existing?.mode !== 'STRICT' || existing.hasSelector) {
          throw new Error(
            `PeerAuthentication ${ns}/${PEER_AUTHENTICATION_NAME} was created by someone else meanwhile ` +
              `with mode ${existing?.mode ?? 'unset'}`,
          );
        }
      }
    }
    return change;
  } catch (error) {
    throw new ClusterApplyError((error as Error).message, change);
  }
}

/** Adds the missing labels; returns the labels it added (none when someone else added them meanwhile). */
async function ensureLabels(
  options: ApplyClusterPlanOptions & { observed: NamespaceState | undefined },
): Promise<Record<string, string>> {
  const { client, request, plan, logger } = options;
  const ns = request.namespace;
  const revisionNames =
    plan.revisionNames ?? (request.revision ? [request.revision] : []);
  let state = options.observed;
  for (let attempt = 1; ; attempt++) {
    state ??= await client.readNamespace(ns);
    if (!state)
      throw new Error(
        `namespace ${ns} was deleted while it was being onboarded`,
      );
    const conflicts = labelConflicts(
      state.labels,
      request.labelStyle,
      request.revision,
      rev => revisionNames.includes(rev),
    );
    if (conflicts.length) {
      throw new Error(
        `namespace ${ns} was changed meanwhile and now ${conflicts.join('; ')}`,
      );
    }
    const toAdd = missingLabels(
      state.labels,
      desiredFor(request, state.labels, revisionNames),
    );
    if (Object.keys(toAdd).length === 0) return {};
    try {
      await client.patchNamespaceLabels(ns, toAdd, state.resourceVersion);
      logger?.info(
        `${plan.cluster}: added labels {${formatLabels(
          toAdd,
        )}} to namespace ${ns}`,
      );
      return toAdd;
    } catch (error) {
      if (!isKubeStatus(error, 409)) throw error;
      if (attempt >= MAX_ATTEMPTS) {
        throw new Error(
          `namespace ${ns} kept changing while it was being labelled (${MAX_ATTEMPTS} conflicts): ` +
            `${(error as Error).message}`,
        );
      }
      logger?.info(
        `${
          plan.cluster
        }: namespace ${ns} changed since it was read (409), re-reading (attempt ${
          attempt + 1
        })`,
      );
      state = undefined;
    }
  }
}
