/*
 * The REST API under /api/service-mesh. Handlers read the snapshot only: the load on API servers does not grow
 * with users or page views. Every route is behind Backstage auth (httpRouter's default policy) and a permission.
 */
import {
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
  getEntitySelector,
  RefreshResponse,
  serviceMeshReadPermission,
  serviceMeshRefreshPermission,
} from '@internal/plugin-service-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { MeshSnapshotService } from '../snapshot/MeshSnapshotService';
import { buildEntityView } from './entityView';
import { LabelSelectorError } from './labelSelector';
import { buildOverview, clusterSummary } from './overviewView';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  snapshot: MeshSnapshotService;
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

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, httpAuth, permissions, catalog, snapshot } = options;
  const router = Router();
  router.use(express.json());

  async function authorize(req: express.Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Permission ${permission.name} denied`);
    }
    return credentials;
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

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
    res.json(buildOverview(await snapshot.current()));
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

    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const selector = getEntitySelector(entity);
    if (!selector) {
      throw new InputError(
        `Entity ${entityRef} has neither a backstage.io/kubernetes-id nor a backstage.io/kubernetes-label-selector annotation`,
      );
    }
    try {
      res.json(
        buildEntityView(await snapshot.current(), entityRef, selector, logger),
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

  router.post('/refresh', async (req, res) => {
    await authorize(req, serviceMeshRefreshPermission);
    const { snapshot: refreshed } = await snapshot.refresh();
    const body: RefreshResponse = {
      generatedAt: refreshed.generatedAt,
      clusters: refreshed.clusters.map(clusterSummary),
    };
    res.json(body);
  });

  return router;
}
