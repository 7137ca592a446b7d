/*
 * Validation happens before any change: first the inputs alone, then what every target cluster holds. All
 * problems are collected, so one error tells the user everything to fix on every cluster.
 */
import {
  DEFAULT_REVISION,
  rbacRule,
} from '@internal/plugin-service-mesh-common';
import { isKubeStatus } from '@internal/plugin-service-mesh-node';
import { dns1123LabelProblem, systemNamespaceProblem } from './names';
import { labelConflicts } from './labels';
import { resolvedIn, servesRevision } from './revisions';
import { OnboardClusterClient } from './OnboardClusterClient';
import { OnboardClusters } from './clusters';
import {
  ClusterState,
  LABEL_STYLES,
  LabelStyle,
  OnboardRequest,
} from './types';

/** One thing that stops the action; `cluster` is unset for problems of the inputs as a whole. */
export interface ValidationProblem {
  cluster?: string;
  message: string;
}

/** The action's raw input (defaults not applied yet). */
export interface OnboardInput {
  namespace: string;
  clusters?: string[];
  revision?: string;
  labelStyle?: string;
  createIfMissing?: boolean;
  strictMtls?: boolean;
  dryRun?: boolean;
}

/** Applies the defaults and checks what can be checked without a cluster. */
export function checkInput(
  input: OnboardInput,
  clusters: OnboardClusters,
  isDryRun: boolean,
): { request: OnboardRequest; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const add = (message: string | undefined) => {
    if (message) problems.push({ message });
  };
  const namespace = (input.namespace ?? '').trim();
  add(dns1123LabelProblem(namespace, 'namespace'));
  add(systemNamespaceProblem(namespace));

  const revision = input.revision?.trim() || undefined;
  if (revision) add(dns1123LabelProblem(revision, 'revision'));

  const labelStyle = (input.labelStyle ?? 'alauda') as LabelStyle;
  if (!LABEL_STYLES.includes(labelStyle)) {
    add(
      `unknown label style '${
        input.labelStyle
      }' (use one of ${LABEL_STYLES.join(', ')})`,
    );
  }

  const requested = input.clusters?.length ? input.clusters : clusters.members;
  const targets = [...new Set(requested.map(c => c.trim()))];
  if (targets.length === 0)
    add('no target cluster: the mesh has no member clusters configured');
  for (const cluster of targets) add(clusters.targetProblem(cluster));

  return {
    request: {
      namespace,
      clusters: targets,
      revision,
      labelStyle,
      createIfMissing: input.createIfMissing ?? true,
      strictMtls: input.strictMtls ?? false,
      dryRun: Boolean(input.dryRun) || isDryRun,
    },
    problems,
  };
}

/** Reads every target cluster in parallel; a cluster that cannot be read is a problem, not an exception. */
export async function readClusters(
  request: OnboardRequest,
  client: (cluster: string) => OnboardClusterClient,
): Promise<{ states: ClusterState[]; problems: ValidationProblem[] }> {
  const outcomes = await Promise.all(
    request.clusters.map(async cluster => {
      try {
        return { state: await readCluster(cluster, client(cluster), request) };
      } catch (error) {
        return {
          problem: {
            cluster,
            message: `cannot read the cluster: ${(error as Error).message}`,
          },
        };
      }
    }),
  );
  return {
    states: outcomes.flatMap(o => (o.state ? [o.state] : [])),
    problems: outcomes.flatMap(o => (o.problem ? [o.problem] : [])),
  };
}

async function readCluster(
  cluster: string,
  client: OnboardClusterClient,
  request: OnboardRequest,
): Promise<ClusterState> {
  const [namespace, revisions, tags, peerAuthenticationApiVersion] =
    await Promise.all([
      client.readNamespace(request.namespace),
      client.listIstiodRevisions(),
      readRevisionTags(client),
      request.strictMtls
        ? client.peerAuthenticationApiVersion()
        : Promise.resolve(undefined),
    ]);
  const peerAuthentication =
    namespace && peerAuthenticationApiVersion
      ? await client.readPeerAuthentication(
          request.namespace,
          peerAuthenticationApiVersion,
        )
      : undefined;
  return {
    cluster,
    namespace,
    revisions,
    ...tags,
    peerAuthentication,
    peerAuthenticationApiVersion,
  };
}

/**
 * The cluster's revision tags. A refused list (403) costs the tags only: the revisions still validate, and a
 * requested name that is no revision is refused with the RBAC rule to add.
 */
async function readRevisionTags(
  client: OnboardClusterClient,
): Promise<Pick<ClusterState, 'revisionTags' | 'revisionTagsProblem'>> {
  try {
    return { revisionTags: await client.listRevisionTags() };
  } catch (error) {
    if (!isKubeStatus(error, 403)) throw error;
    return {
      revisionTagsProblem: `revision tags could not be read (${
        (error as Error).message
      }); grant ${rbacRule({
        group: 'admissionregistration.k8s.io',
        resource: 'mutatingwebhookconfigurations',
      })}`,
    };
  }
}

/** What `state` runs, for messages: `istiod revisions in istio-system: 1-22; revision tags: prod → 1-22`. */
function describeRevisions(state: ClusterState): string {
  const tags = (state.revisionTags ?? []).map(
    t => `${t.tag} → ${t.revision ?? 'no revision'}`,
  );
  return `istiod revisions in istio-system: ${
    state.revisions.length ? state.revisions.join(', ') : 'none'
  }${tags.length ? `; revision tags: ${tags.join(', ')}` : ''}`;
}

/**
 * The revision to use: the requested one, else the one revision every target cluster runs. The `injection`
 * style needs none (the default injector serves `istio-injection=enabled`).
 */
export function resolveRevision(
  request: OnboardRequest,
  states: ClusterState[],
): { revision?: string; problem?: ValidationProblem } {
  if (request.revision || request.labelStyle === 'injection')
    return { revision: request.revision };
  const all = [...new Set(states.flatMap(s => s.revisions))].sort();
  if (all.length === 1) return { revision: all[0] };
  // Clusters on different revisions may share a revision tag (an upgrade in progress): then that tag.
  const shared = states
    .map(
      s =>
        new Set(
          (s.revisionTags ?? [])
            .map(t => t.tag)
            .filter(t => resolvedIn(s, t).controlPlanes.length > 0),
        ),
    )
    .reduce((a, b) => new Set([...a].filter(t => b.has(t))));
  if (states.length > 0 && shared.size === 1)
    return { revision: [...shared][0] };
  const perCluster = states
    .map(
      s =>
        `${s.cluster}: ${s.revisions.length ? s.revisions.join(', ') : 'none'}`,
    )
    .join('; ');
  const message =
    all.length === 0
      ? `no revision given and no istiod runs in istio-system on the target clusters; set 'revision' explicitly`
      : `no revision given and the target clusters do not run exactly one istiod revision (${perCluster}); ` +
        `set 'revision' explicitly`;
  return { problem: { message } };
}

/** Problems of each cluster's current state for the request (whose revision is resolved). */
export function validateClusters(
  request: OnboardRequest,
  states: ClusterState[],
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const ns = request.namespace;
  for (const state of states) {
    const add = (message: string) =>
      problems.push({ cluster: state.cluster, message });
    if (!state.namespace) {
      if (!request.createIfMissing)
        add(`namespace '${ns}' does not exist and createIfMissing is false`);
    } else {
      if (state.namespace.phase === 'Terminating')
        add(`namespace '${ns}' is being deleted`);
      for (const conflict of labelConflicts(
        state.namespace.labels,
        request.labelStyle,
        request.revision,
        rev =>
          request.revision !== undefined &&
          servesRevision(state, rev, request.revision),
      )) {
        add(`namespace '${ns}' ${conflict}`);
      }
    }
    if (request.revision) {
      const resolved = resolvedIn(state, request.revision);
      if (resolved.controlPlanes.length === 0) {
        const tag = resolved.tag
          ? `revision tag '${request.revision}' points at ${
              resolved.revision
                ? `revision '${resolved.revision}', which has no istiod here`
                : 'no revision'
            }`
          : `revision '${request.revision}' has no istiod here`;
        add(
          `${tag} (${describeRevisions(state)})${
            state.revisionTagsProblem ? `; ${state.revisionTagsProblem}` : ''
          }`,
        );
      }
    } else if (state.revisions.length === 0) {
      add('no istiod runs in istio-system, so nothing would inject sidecars');
    } else if (request.labelStyle === 'injection') {
      // istio-injection=enabled is served by the default revision, or by the revision tag `default`.
      if (resolvedIn(state, DEFAULT_REVISION).controlPlanes.length === 0) {
        add(
          `istio-injection=enabled is served by the default revision or the revision tag 'default', and neither ` +
            `has an istiod here (${describeRevisions(
              state,
            )}); run istioctl tag set default --revision <rev>, or use label style 'revision'${
              state.revisionTagsProblem ? `; ${state.revisionTagsProblem}` : ''
            }`,
        );
      }
    }
    if (request.strictMtls) {
      if (!state.peerAuthenticationApiVersion) {
        add(
          `Istio's security.istio.io API is not served, so no PeerAuthentication can be created`,
        );
      } else if (
        state.peerAuthentication &&
        (state.peerAuthentication.mode !== 'STRICT' ||
          state.peerAuthentication.hasSelector)
      ) {
        add(
          `PeerAuthentication '${ns}/default' already exists with mode ${
            state.peerAuthentication.mode ?? 'unset'
          }` +
            `${
              state.peerAuthentication.hasSelector
                ? ' and a workload selector'
                : ''
            }; ` +
            `change it yourself or turn strictMtls off`,
        );
      }
    }
  }
  return problems;
}
