/*
 * The REST API under /api/service-mesh. Handlers read the snapshot only: the load on API servers does not grow
 * with users or page views. Every route is behind Backstage auth (httpRouter's default policy) and a permission.
 */
import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  ClustersResponse,
  compareFindings,
  DEFAULT_TRAFFIC_THRESHOLDS,
  FINDINGS_TREND_WINDOWS,
  FindingsTrendResponse,
  getEntitySelector,
  RefreshProgress,
  RefreshResponse,
  TIMESERIES_RANGES,
  TrafficTimeSeriesResponse,
  serviceMeshReadPermission,
  serviceMeshRefreshPermission,
  TRAFFIC_WINDOWS,
  TrafficWindow,
  LabelSelectorError,
} from '@internal/plugin-service-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  MeshSnapshotService,
  MeshSnapshotState,
  StartedRefresh,
} from '../snapshot/MeshSnapshotService';
import {
  MeshTrafficService,
  TrafficResult,
} from '../metrics/MeshTrafficService';
import { buildEntityTraffic, buildMeshTraffic } from '../metrics/trafficViews';
import { MeshTimeSeriesService, stepFor } from '../metrics/timeseries';
import { dependencyErrorHandler, fromDependency } from './dependencyErrors';
import { buildEntityView, matchEntity } from './entityView';
import { addHealthRoutes } from './health';
import { buildOverview, clusterSummary } from './overviewView';
import { EntityLookupCache, SnapshotViewCache } from './viewCache';
import { FindingsTrendStore } from '../trend/FindingsTrendStore';
import { thinPoints } from '../trend/summarize';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  snapshot: MeshSnapshotService;
  /** Live traffic (MESH080/081, `/traffic`); without it the traffic routes answer `unconfigured`. */
  traffic?: MeshTrafficService;
  /** Records who refreshed the mesh (`coreServices.auditor`). */
  auditor?: AuditorService;
  /** Traffic over time for the plots (`/traffic/timeseries`); without it the route answers `unconfigured`. */
  timeseries?: MeshTimeSeriesService;
  /** Finding counts per published snapshot (`/findings/trend`); without it the route answers no points. */
  trend?: FindingsTrendStore;
}

const validator = makeValidator();

/** `kind:namespace/name` (namespace defaults to `default`), each part valid as in the catalog. */
function parseRef(raw: string): string {
  let ref;
  try {
    ref = parseEntityRef(raw);
  } catch (error) {
    throw new InputError(
      `Malformed entityRef '${raw}': ${(error as Error).message}`,
    );
  }
  if (
    !validator.isValidKind(ref.kind) ||
    !validator.isValidNamespace(ref.namespace) ||
    !validator.isValidEntityName(ref.name)
  ) {
    throw new InputError(
      `Malformed entityRef '${raw}': expected kind:namespace/name`,
    );
  }
  return stringifyEntityRef(ref);
}

const entityQuery = z.object({
  entityRef: z.string().trim().min(1, 'entityRef is required').max(512),
});

const trafficWindow = z.enum(TRAFFIC_WINDOWS, {
  errorMap: () => ({
    message: `window must be one of ${TRAFFIC_WINDOWS.join(', ')}`,
  }),
});
const timeSeriesQuery = z.object({
  range: z
    .enum(TIMESERIES_RANGES, {
      errorMap: () => ({
        message: `range must be one of ${TIMESERIES_RANGES.join(', ')}`,
      }),
    })
    .default('1h'),
});

const TREND_WINDOW_HOURS = { '1h': 1, '6h': 6, '24h': 24, '7d': 168 };
/** The plot needs no more: longer histories are thinned evenly over the window. */
const TREND_MAX_POINTS = 500;
const trendQuery = z.object({
  window: z
    .enum(FINDINGS_TREND_WINDOWS, {
      errorMap: () => ({
        message: `window must be one of ${FINDINGS_TREND_WINDOWS.join(', ')}`,
      }),
    })
    .default('24h'),
});

const refreshQuery = z.object({
  wait: z
    .enum(['true', 'false'], {
      errorMap: () => ({ message: 'wait must be true or false' }),
    })
    .optional(),
});

async function progressOf(
  snapshot: MeshSnapshotService,
): Promise<RefreshProgress> {
  return snapshot.progress
    ? snapshot.progress()
    : { state: 'idle', clusters: [] };
}

const meshTrafficQuery = z.object({ window: trafficWindow.default('5m') });
const entityTrafficQuery = entityQuery.extend({
  window: trafficWindow.default('5m'),
});

function parseQuery<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  query: unknown,
): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    throw new InputError(
      `Invalid query: ${parsed.error.issues.map(i => i.message).join('; ')}`,
    );
  }
  return parsed.data;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    logger,
    httpAuth,
    permissions,
    catalog,
    snapshot,
    traffic,
    auditor,
    timeseries,
    trend,
  } = options;
  const router = Router();
  router.use(express.json());

  async function authorize(req: express.Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await fromDependency('The permission backend', () =>
      permissions.authorize([{ permission }], { credentials }),
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Permission ${permission.name} denied`);
    }
    return credentials;
  }

  /** The live-traffic result of a window (`unconfigured` when the plugin runs without the traffic service). */
  async function trafficFor(window: TrafficWindow): Promise<TrafficResult> {
    if (traffic) return traffic.traffic(window);
    return {
      status: 'unconfigured',
      reason: 'Live traffic is not set up in this backend.',
      window,
      generatedAt: new Date().toISOString(),
      durationMs: 0,
      series: 0,
    };
  }

  /**
   * The snapshot's findings plus MESH080/081 of the findings window, from the last traffic result (never waits
   * for the metrics store: the scheduled refresh keeps that window warm).
   */
  function withTrafficFindings(state: MeshSnapshotState): MeshSnapshotState {
    if (!traffic) return state;
    // Another replica may run the scheduled refresh: warm this one's cache in the background.
    traffic.traffic(traffic.findingsWindow).catch(() => undefined);
    const last = traffic.peek(traffic.findingsWindow);
    const extra = last ? traffic.findings(last, state.snapshot) : [];
    if (extra.length === 0) return state;
    return {
      ...state,
      findings: [...state.findings, ...extra].sort(compareFindings),
    };
  }

  // Views are built once per snapshot (and findings) and sent as text; catalog lookups are cached briefly.
  const views = new SnapshotViewCache();
  const entities = new EntityLookupCache(catalog);
  function sendView(
    req: express.Request,
    res: express.Response,
    base: MeshSnapshotState,
    state: MeshSnapshotState,
    key: string,
    build: () => unknown,
  ) {
    const findings =
      state.findings === base.findings ? '' : JSON.stringify(state.findings);
    views.send(req, res, base.snapshot, `${key}\n${findings}`, build);
  }

  addHealthRoutes(router, snapshot, traffic);

  router.get('/clusters', async (req, res) => {
    await authorize(req, serviceMeshReadPermission);
    const { snapshot: current } = await snapshot.current();
    const body: ClustersResponse = {
      items: current.clusters.map(clusterSummary),
    };
    res.json(body);
  });

  router.get('/overview', async (req, res) => {
    await authorize(req, serviceMeshReadPermission);
    const base = await snapshot.current();
    const state = withTrafficFindings(base);
    sendView(req, res, base, state, 'overview', () => ({
      status: base.pending ? 'pending' : 'ready',
      ...buildOverview(state),
    }));
  });

  router.get('/entity', async (req, res) => {
    const credentials = await authorize(req, serviceMeshReadPermission);
    const parsed = entityQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new InputError(
        `Invalid query: ${parsed.error.issues.map(i => i.message).join('; ')}`,
      );
    }
    const entityRef = parseRef(parsed.data.entityRef);

    const entity = await fromDependency('The catalog', () =>
      entities.get(entityRef, credentials),
    );
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const selector = getEntitySelector(entity);
    if (!selector) {
      throw new InputError(
        `Entity ${entityRef} has neither a backstage.io/kubernetes-id nor a backstage.io/kubernetes-label-selector annotation`,
      );
    }
    try {
      const base = await snapshot.current();
      const state = withTrafficFindings(base);
      sendView(
        req,
        res,
        base,
        state,
        `entity\n${entityRef}\n${JSON.stringify(selector)}`,
        () => ({
          status: base.pending ? 'pending' : 'ready',
          ...buildEntityView(state, entityRef, selector, logger),
        }),
      );
    } catch (error) {
      if (error instanceof LabelSelectorError) {
        throw new InputError(
          `Entity ${entityRef} has an invalid label selector: ${error.message}`,
        );
      }
      throw error;
    }
  });

  router.get('/traffic', async (req, res) => {
    const credentials = await authorize(req, serviceMeshReadPermission);
    const query = parseQuery(entityTrafficQuery, req.query);
    const entityRef = parseRef(query.entityRef);
    const entity = await fromDependency('The catalog', () =>
      entities.get(entityRef, credentials),
    );
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const selector = getEntitySelector(entity);
    if (!selector) {
      throw new InputError(
        `Entity ${entityRef} has neither a backstage.io/kubernetes-id nor a backstage.io/kubernetes-label-selector annotation`,
      );
    }
    const state = await snapshot.current();
    let matches;
    try {
      matches = matchEntity(state, selector);
    } catch (error) {
      if (error instanceof LabelSelectorError) {
        throw new InputError(
          `Entity ${entityRef} has an invalid label selector: ${error.message}`,
        );
      }
      throw error;
    }
    const services = new Map<string, { namespace: string; name: string }>();
    for (const objects of matches.values()) {
      for (const s of objects.services)
        services.set(`${s.namespace}/${s.name}`, {
          namespace: s.namespace,
          name: s.name,
        });
    }
    const result = await trafficFor(query.window);
    res.json(
      buildEntityTraffic({
        entityRef,
        services: [...services.entries()]
          .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
          .map(([, s]) => s),
        result,
        snapshot: state.snapshot,
        thresholds: traffic?.thresholds ?? DEFAULT_TRAFFIC_THRESHOLDS,
        findings: traffic ? traffic.findings(result, state.snapshot) : [],
      }),
    );
  });

  router.get('/traffic/mesh', async (req, res) => {
    await authorize(req, serviceMeshReadPermission);
    const query = parseQuery(meshTrafficQuery, req.query);
    const state = await snapshot.current();
    const result = await trafficFor(query.window);
    res.json(
      buildMeshTraffic({
        result,
        snapshot: state.snapshot,
        thresholds: traffic?.thresholds ?? DEFAULT_TRAFFIC_THRESHOLDS,
        findings: traffic ? traffic.findings(result, state.snapshot) : [],
      }),
    );
  });

  router.get('/traffic/timeseries', async (req, res) => {
    await authorize(req, serviceMeshReadPermission);
    const { range } = parseQuery(timeSeriesQuery, req.query);
    const body: TrafficTimeSeriesResponse = timeseries
      ? await timeseries.timeseries(range)
      : {
          status: 'unconfigured',
          reason: 'Live traffic is not set up in this backend.',
          range,
          stepSeconds: stepFor(range),
          generatedAt: new Date().toISOString(),
          series: [],
        };
    res.json(body);
  });

  router.get('/findings/trend', async (req, res) => {
    await authorize(req, serviceMeshReadPermission);
    const { window } = parseQuery(trendQuery, req.query);
    const since = Date.now() - TREND_WINDOW_HOURS[window] * 3600_000;
    const body: FindingsTrendResponse = {
      window,
      retentionHours: trend?.retentionHours ?? 0,
      points: trend
        ? thinPoints(
            await fromDependency(
              'The findings trend store (the plugin database)',
              () => trend.list(since),
            ),
            TREND_MAX_POINTS,
          )
        : [],
    };
    res.json(body);
  });

  router.get('/refresh', async (req, res) => {
    await authorize(req, serviceMeshReadPermission);
    res.json(await progressOf(snapshot));
  });

  // 202 at once with the progress (`GET /refresh` follows it); `?wait=true` answers 200 when the snapshot is
  // published, for scripts. Each accepted refresh is one audit event, completed when the refresh ends.
  router.post('/refresh', async (req, res) => {
    const wait = parseQuery(refreshQuery, req.query).wait === 'true';
    await authorize(req, serviceMeshRefreshPermission);
    // A refresh that could not publish is refused now rather than accepted: the store must answer.
    if (!wait) await snapshot.current();
    const event = await auditor?.createEvent({
      eventId: 'refresh',
      severityLevel: 'medium',
      request: req,
      meta: { wait },
    });
    // Started before answering: a refresh that cannot be coordinated (the plugin database is down) is a 503 here,
    // not a 202 for a run that never happens.
    let started: StartedRefresh;
    try {
      started = snapshot.requestRefresh
        ? await snapshot.requestRefresh()
        : { done: snapshot.refresh() };
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    }
    const refreshing = started.done.then(
      async ({ snapshot: refreshed }) => {
        await event?.success({
          meta: {
            generatedAt: refreshed.generatedAt,
            clusters: refreshed.clusters.map(c => `${c.name}: ${c.status}`),
          },
        });
        return refreshed;
      },
      async error => {
        await event?.fail({ error });
        throw error;
      },
    );
    if (wait) {
      const refreshed = await refreshing;
      const body: RefreshResponse = {
        generatedAt: refreshed.generatedAt,
        clusters: refreshed.clusters.map(clusterSummary),
      };
      res.json(body);
      return;
    }
    refreshing.catch(error => logger.warn(`Mesh refresh failed: ${error}`));
    // The run begins in this process or on the replica that claims the task: answer with what is known now.
    res
      .status(202)
      .location('refresh')
      .json(await progressOf(snapshot));
  });

  // A 404 that says so (Backstage's own fallback answers an empty body).
  router.use((req, _res) => {
    throw new NotFoundError(
      `No route ${req.method} ${req.path} in the service-mesh API`,
    );
  });
  router.use(dependencyErrorHandler());
  return router;
}
