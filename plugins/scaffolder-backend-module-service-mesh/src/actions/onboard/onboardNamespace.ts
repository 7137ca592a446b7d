/*
 * service-mesh:namespace:onboard — labels a namespace for sidecar injection on every cluster of a multi-primary
 * mesh (Alauda's `kubectl label namespace NS cpaas.io/serviceMesh=enabled istio.io/rev=1-22`, once per
 * cluster), creating it where missing. Order: permission → inputs → read every cluster → validate → plan →
 * apply cluster by cluster (one checkpoint each) → on a failure, roll back what this task changed.
 */
import {
  AuditorService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { serviceMeshNamespaceOnboardPermission } from '@internal/plugin-service-mesh-common';
import {
  readServiceMeshClusterSettings,
  ServiceMeshClustersService,
} from '@internal/plugin-service-mesh-node';
import { applyClusterPlan, ClusterApplyError, noChange } from './apply';
import { loadOnboardClusters, OnboardClusters } from './clusters';
import { examples } from './onboardNamespace.examples';
import { OnboardClusterClient } from './OnboardClusterClient';
import { isEmptyPlan, planCluster } from './plan';
import {
  changeResult,
  describeChange,
  dryRunResult,
  dryRunSummary,
  failureSummary,
  successSummary,
  validationMessage,
} from './report';
import { isEmptyChange, rollbackClusterChange } from './rollback';
import {
  ClusterChange,
  ClusterPlan,
  ClusterResult,
  LABEL_STYLES,
  OnboardRequest,
} from './types';
import {
  checkInput,
  readClusters,
  resolveRevision,
  validateClusters,
} from './validate';

export const ONBOARD_ACTION_ID = 'service-mesh:namespace:onboard';

/** @public */
export interface OnboardNamespaceActionOptions {
  permissions: PermissionsService;
  /** App config with `serviceMesh.clusterTimeoutSeconds` (the time limit of each request). */
  config: Config;
  /** Cluster access (serviceMeshClustersServiceRef): which clusters there are, and their credentials. */
  clusterAccess?: Pick<
    ServiceMeshClustersService,
    'listClusters' | 'createKubeConfig'
  >;
  /** Backend log, for a line per run (the task log gets the details). */
  logger?: LoggerService;
  /** One audit event per run (`coreServices.auditor`): who onboarded which namespace where, and the outcome. */
  auditor?: AuditorService;
  /** Overrides the clusters of cluster access (tests). */
  clusters?: OnboardClusters;
}

/**
 * Creates the `service-mesh:namespace:onboard` scaffolder action.
 *
 * @public
 */
export function createOnboardNamespaceAction(
  options: OnboardNamespaceActionOptions,
) {
  const { permissions, config, logger, auditor, clusterAccess } = options;
  const timeoutMs =
    readServiceMeshClusterSettings(config).clusterTimeoutSeconds * 1000;

  const action = createTemplateAction({
    id: ONBOARD_ACTION_ID,
    description:
      'Onboards a namespace into the multi-cluster Istio service mesh: creates it where missing and adds the ' +
      'sidecar-injection labels on every target cluster, after validating all of them; rolls back on failure.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          namespace: z
            .string()
            .describe(
              'Namespace to onboard (DNS-1123 label); the same name is used on every cluster',
            ),
          clusters: z
            .array(z.string())
            .optional()
            .describe(
              'Target clusters by configured name. Default: every mesh member cluster',
            ),
          revision: z
            .string()
            .optional()
            .describe(
              'Istio revision (istio.io/rev), e.g. 1-22. Default: the one revision the target clusters run',
            ),
          labelStyle: z
            .enum(LABEL_STYLES as [string, ...string[]])
            .optional()
            .describe(
              "'alauda' (default): cpaas.io/serviceMesh=enabled + istio.io/rev; 'revision': istio.io/rev; " +
                "'injection': istio-injection=enabled",
            ),
          createIfMissing: z
            .boolean()
            .optional()
            .describe(
              'Create the namespace on clusters where it does not exist (default true)',
            ),
          strictMtls: z
            .boolean()
            .optional()
            .describe(
              'Also ensure a PeerAuthentication "default" with mTLS STRICT in the namespace (default false)',
            ),
          dryRun: z
            .boolean()
            .optional()
            .describe(
              'Only report what would change (also on when the task is a dry run)',
            ),
        }),
      output: z =>
        z.object({
          results: z
            .array(
              z.object({
                cluster: z.string(),
                namespace: z.string(),
                created: z.boolean(),
                labelsAdded: z.record(z.string()),
                peerAuthentication: z.enum(['created', 'unchanged', 'skipped']),
                status: z.enum([
                  'changed',
                  'unchanged',
                  'dry-run',
                  'rolled-back',
                  'failed',
                ]),
                error: z.string().optional(),
              }),
            )
            .describe('What happened (or would happen) on each cluster'),
          summary: z.string().describe('The results as text'),
        }),
    },
    async handler(taskContext) {
      const input = taskContext.input as {
        namespace?: unknown;
        clusters?: unknown;
        dryRun?: unknown;
      };
      const dryRun = Boolean(taskContext.isDryRun || input.dryRun);
      const event = await auditor?.createEvent({
        eventId: 'namespace-onboard',
        severityLevel: dryRun ? 'low' : 'high',
        meta: {
          namespace: String(input.namespace ?? ''),
          clusters: Array.isArray(input.clusters)
            ? input.clusters.map(String)
            : 'all',
          dryRun,
          user: taskContext.user?.ref ?? null,
        },
      });
      let results: unknown = null;
      const ctx = {
        ...taskContext,
        output: ((name: string, value: unknown) => {
          if (name === 'results') results = value;
          taskContext.output(name as any, value as any);
        }) as typeof taskContext.output,
      };
      const run = async () => {
        // The scaffolder's own checks are about templates and actions; this one is about changing clusters.
        const credentials = await ctx.getInitiatorCredentials();
        const [decision] = await permissions.authorize(
          [{ permission: serviceMeshNamespaceOnboardPermission }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            `Not allowed to onboard namespaces into the service mesh (permission ${serviceMeshNamespaceOnboardPermission.name})`,
          );
        }

        if (!options.clusters && !clusterAccess)
          throw new Error(
            'The onboarding action was created without cluster access (serviceMeshClustersServiceRef)',
          );
        const clusters =
          options.clusters ??
          (await loadOnboardClusters(clusterAccess!, { timeoutMs }));
        const checked = checkInput(ctx.input, clusters, Boolean(ctx.isDryRun));
        if (checked.problems.length) {
          throw new InputError(
            validationMessage(checked.request.namespace, checked.problems),
          );
        }

        // Created on first use, inside readClusters' error handling: a cluster whose configuration cannot be
        // turned into a client is reported like an unreachable one.
        const clients = new Map<string, OnboardClusterClient>();
        const clientOf = (cluster: string) => {
          if (!clients.has(cluster))
            clients.set(cluster, clusters.client(cluster));
          return clients.get(cluster)!;
        };
        const read = await readClusters(checked.request, clientOf);
        const resolved = resolveRevision(checked.request, read.states);
        const request: OnboardRequest = {
          ...checked.request,
          revision: resolved.revision,
        };
        const problems = [
          ...(resolved.problem ? [resolved.problem] : []),
          ...read.problems,
          ...validateClusters(request, read.states),
        ];
        if (problems.length)
          throw new InputError(validationMessage(request.namespace, problems));

        const plans = read.states.map(state => planCluster(request, state));
        if (request.dryRun) {
          const summary = dryRunSummary(request, plans);
          ctx.logger.info(summary);
          ctx.output(
            'results',
            plans.map(plan => dryRunResult(request, plan)),
          );
          ctx.output('summary', summary);
          return;
        }

        const outcome = await applyAll(ctx, request, plans, clientOf);
        ctx.output('results', outcome.results);
        if (outcome.failure) {
          const summary = failureSummary({
            request,
            ...outcome.failure,
            results: outcome.results,
          });
          ctx.logger.error(summary);
          ctx.output('summary', summary);
          logger?.warn(`Onboarding namespace ${request.namespace} failed`, {
            user: ctx.user?.ref,
            failedCluster: outcome.failure.failedCluster,
            leftChanged: outcome.failure.leftChanged.join(','),
          });
          throw new Error(summary);
        }
        const summary = successSummary(request, outcome.results);
        ctx.logger.info(summary);
        ctx.output('summary', summary);
        logger?.info(`Onboarded namespace ${request.namespace}`, {
          user: ctx.user?.ref,
          clusters: request.clusters.join(','),
          changed: outcome.results
            .filter(r => r.status === 'changed')
            .map(r => r.cluster)
            .join(','),
        });
      };
      try {
        await run();
      } catch (error) {
        await event?.fail({
          error: error as Error,
          meta: { results: results as any },
        });
        throw error;
      }
      await event?.success({ meta: { results: results as any } });
    },
  });

  return action;
}

type OnboardContext = Pick<
  ActionContext<any>,
  'checkpoint' | 'logger' | 'signal'
>;

interface ApplyOutcome {
  results: ClusterResult[];
  failure?: { failedCluster: string; reason: string; leftChanged: string[] };
}

/** Applies the plans one cluster at a time; the first failure stops the run and rolls back the others. */
async function applyAll(
  ctx: OnboardContext,
  request: OnboardRequest,
  plans: ClusterPlan[],
  clientOf: (cluster: string) => OnboardClusterClient,
): Promise<ApplyOutcome> {
  const results = new Map<string, ClusterResult>();
  const applied: ClusterChange[] = [];
  for (const [index, plan] of plans.entries()) {
    try {
      if (ctx.signal?.aborted)
        throw new ClusterApplyError('the task was cancelled', noChange(plan));
      const change = await applyWithCheckpoint(
        ctx,
        request,
        plan,
        clientOf(plan.cluster),
      );
      applied.push(change);
      results.set(
        plan.cluster,
        changeResult(
          request,
          change,
          isEmptyChange(change) ? 'unchanged' : 'changed',
        ),
      );
    } catch (error) {
      const partial =
        error instanceof ClusterApplyError ? error.change : noChange(plan);
      const reason = (error as Error).message;
      ctx.logger.error(`${plan.cluster}: ${reason}; rolling back`);
      const leftChanged: string[] = [];
      const undo = async (change: ClusterChange) => {
        try {
          await rollbackClusterChange({
            client: clientOf(change.cluster),
            namespace: request.namespace,
            change,
            logger: ctx.logger,
          });
          return undefined;
        } catch (rollbackError) {
          leftChanged.push(change.cluster);
          ctx.logger.error(
            `${change.cluster}: rollback failed: ${
              (rollbackError as Error).message
            }`,
          );
          return (rollbackError as Error).message;
        }
      };

      let failedText = reason;
      if (!isEmptyChange(partial)) {
        const rollbackError = await undo(partial);
        failedText = rollbackError
          ? `${reason}; left changed: ${describeChange(
              request.namespace,
              partial,
            )} (rollback failed: ${rollbackError})`
          : `${reason}; its partial changes were rolled back`;
      }
      results.set(
        plan.cluster,
        changeResult(request, partial, 'failed', failedText),
      );

      for (const change of [...applied].reverse()) {
        if (isEmptyChange(change)) continue;
        const rollbackError = await undo(change);
        results.set(
          change.cluster,
          rollbackError
            ? changeResult(
                request,
                change,
                'changed',
                `rollback failed: ${rollbackError}`,
              )
            : changeResult(request, change, 'rolled-back'),
        );
      }
      for (const skipped of plans.slice(index + 1)) {
        results.set(skipped.cluster, {
          ...changeResult(request, noChange(skipped), 'unchanged'),
          error: `not attempted: onboarding stopped when ${plan.cluster} failed`,
        });
      }
      return {
        results: plans.map(p => results.get(p.cluster)!),
        failure: { failedCluster: plan.cluster, reason, leftChanged },
      };
    }
  }
  return { results: plans.map(p => results.get(p.cluster)!) };
}

/**
 * One checkpoint per cluster, so a retried task does not redo a cluster an earlier attempt finished: the stored
 * change is replayed instead. If the cluster has lost those changes since (e.g. they were rolled back when another
 * cluster failed), the fresh plan is not empty and the cluster is onboarded again outside the spent checkpoint.
 */
async function applyWithCheckpoint(
  ctx: OnboardContext,
  request: OnboardRequest,
  plan: ClusterPlan,
  client: OnboardClusterClient,
): Promise<ClusterChange> {
  const apply = () =>
    applyClusterPlan({ client, request, plan, logger: ctx.logger });
  let ran = false;
  const stored = await ctx.checkpoint({
    key: `onboard-${plan.cluster}-${request.namespace}`,
    fn: async () => {
      ran = true;
      return apply();
    },
  });
  if (ran || isEmptyPlan(plan)) {
    if (!ran)
      ctx.logger.info(
        `${plan.cluster}: already done by an earlier attempt of this task`,
      );
    return stored;
  }
  const fresh = await apply();
  if (plan.createNamespace) return fresh;
  return {
    ...fresh,
    namespaceCreated: stored.namespaceCreated,
    labelsAdded: { ...stored.labelsAdded, ...fresh.labelsAdded },
    peerAuthenticationCreated:
      stored.peerAuthenticationCreated || fresh.peerAuthenticationCreated,
  };
}
