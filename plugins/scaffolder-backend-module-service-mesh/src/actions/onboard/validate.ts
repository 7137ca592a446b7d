/*
 * Validation happens before any change: first the inputs alone, then what every target cluster holds. All
 * problems are collected, so one error tells the user everything to fix on every cluster.
 */
import { dns1123LabelProblem, systemNamespaceProblem } from './names';
import { labelConflicts } from './labels';
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
  const [namespace, revisions, peerAuthenticationApiVersion] =
    await Promise.all([
      client.readNamespace(request.namespace),
      client.listIstiodRevisions(),
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
    peerAuthentication,
    peerAuthenticationApiVersion,
  };
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
      )) {
        add(`namespace '${ns}' ${conflict}`);
      }
    }
    if (request.revision && !state.revisions.includes(request.revision)) {
      add(
        `revision '${request.revision}' has no istiod here (istiod revisions in istio-system: ` +
          `${state.revisions.length ? state.revisions.join(', ') : 'none'})`,
      );
    } else if (!request.revision && state.revisions.length === 0) {
      add('no istiod runs in istio-system, so nothing would inject sidecars');
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
