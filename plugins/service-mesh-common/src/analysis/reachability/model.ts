/*
 * The reachability model: for every ordered pair of members, discovered / routable / trusted, each "no" with the
 * finding that explains it (the same FindingInput the checks emit, so the ids match). Computed once per analysis
 * context (checks) or per snapshot (views, simulations), never per request.
 */
import type { FindingCode } from '../../findings/registry';
import type {
  ClusterPairReachability,
  NetworkView,
  ReachabilityAspect,
  ReachabilityMatrix,
  ReachabilityReason,
  ReachabilityState,
} from '../../types/reachability';
import type { SimReachability } from '../../locality/types';
import type { MeshSnapshot } from '../../types/snapshot';
import { asArray, isRecord } from '../../util/guards';
import {
  type AnalysisContext,
  buildContext,
  type MemberData,
} from '../context';
import { type FindingInput, makeFinding } from '../finding';
import { parseSnapshot } from '../../types/snapshot';
import { configClusterOf, discovers, missingSecretFinding } from './discovery';
import { rootTrust } from './rootTrust';
import {
  inboundNetwork,
  meshGateways,
  notReadyFinding,
  passthrough,
  route,
} from './routes';
import { trustAssessment } from './trust';

const SUMMARIES: Partial<Record<FindingCode, string>> = {
  MESH010: 'no remote secret',
  MESH012: 'istiod cannot sync it',
  MESH014: 'istiod ignores its secret',
  MESH020: 'no shared root CA',
  MESH030: 'no east-west gateway',
  MESH031: 'gateway not ready',
  MESH032: 'no gateway address',
  MESH033: 'gateway port not exposed',
  MESH034: 'no AUTO_PASSTHROUGH Gateway',
  MESH035: 'network label missing or inconsistent',
  MESH036: 'gateway hostname not resolved',
  MESH055: 'hidden by a Sidecar',
};

/** While a model is built: the FindingInput behind each reason, by finding id. */
let citing: Map<string, FindingInput> | undefined;

export function reasonOf(input: FindingInput): ReachabilityReason {
  const finding = makeFinding(input);
  citing?.set(finding.id, input);
  return {
    code: finding.code,
    findingId: finding.id,
    summary: SUMMARIES[finding.code] ?? finding.title,
  };
}

function aspect(
  state: ReachabilityState,
  because: FindingInput[] = [],
  notes: string[] = [],
): ReachabilityAspect {
  return { state, reasons: because.map(reasonOf), notes };
}

function discoveredAspect(
  ctx: AnalysisContext,
  client: MemberData | undefined,
  configCluster: MemberData | undefined,
  dest: ClusterPairReachability['to'],
): ReachabilityAspect {
  if (!client)
    return aspect('unknown', [], ['The client cluster has not been read.']);
  const destCluster = ctx.members.find(m => m.name === dest)!;
  if (!configCluster) {
    const primaries = ctx.withData.filter(
      m =>
        m.primary &&
        !m.unreadable.has('remoteSecrets') &&
        !m.unreadable.has('controlPlanes'),
    );
    if (primaries.length === 0)
      return aspect(
        'unknown',
        [],
        ['No primary whose remote secrets could be read configures it.'],
      );
    return aspect(
      'no',
      primaries.map(p => missingSecretFinding(p, client.cluster)),
      [
        `${client.name} runs no istiod and no primary holds a remote secret for it: no control plane configures its proxies.`,
      ],
    );
  }
  const seen = discovers(ctx, configCluster, destCluster);
  const via =
    configCluster.name === client.name
      ? []
      : [
          `${client.name}'s proxies are configured by ${configCluster.name}'s istiod.`,
        ];
  return aspect(seen.state, seen.because, [
    ...via,
    ...(seen.note ? [seen.note] : []),
  ]);
}

function outcomeOf(
  pair: Pick<ClusterPairReachability, 'discovered' | 'routable' | 'trusted'>,
) {
  if (pair.discovered.state === 'no') return 'excluded' as const;
  if (pair.routable.state === 'no' || pair.trusted.state === 'no')
    return 'fails' as const;
  return 'reachable' as const;
}

function networksOf(ctx: AnalysisContext): NetworkView[] {
  const gateways = meshGateways(ctx);
  const byNetwork = new Map<string, NetworkView>();
  const view = (network: string) => {
    const v = byNetwork.get(network) ?? { network, clusters: [], gateways: [] };
    byNetwork.set(network, v);
    return v;
  };
  for (const m of ctx.members) {
    const member = ctx.withData.find(d => d.name === m.name);
    view((member ? inboundNetwork(member) : m.network) ?? '').clusters.push(
      m.name,
    );
  }
  for (const m of ctx.withData) {
    for (const e of gateways.byCluster.get(m.name) ?? []) {
      const problems: FindingCode[] = [
        ...e.unpublishedBecause.map(f => f.code),
        ...(e.ready ? [] : [notReadyFinding(m.name, e).code]),
        ...(passthrough(m, e) === false ? (['MESH034'] as const) : []),
      ];
      view(e.network ?? inboundNetwork(m) ?? '').gateways.push({
        cluster: m.name,
        name: `${e.gateway.namespace}/${e.gateway.name}`,
        addresses: e.addresses.map(a => a.address),
        port: e.publishedPort,
        published: e.published,
        ready: e.ready,
        ...(passthrough(m, e) !== undefined
          ? { passthrough: passthrough(m, e) }
          : {}),
        problems: [...new Set(problems)],
      });
    }
  }
  return [...byNetwork.values()];
}

const snapshotModels = new WeakMap<
  object,
  { matrix: ReachabilityMatrix; cited: Map<string, FindingInput> }
>();

/**
 * The model of the snapshot an analysis context reads. Always over the whole mesh: the analysis runner narrows a
 * check's context to the clusters whose inputs it can read, but reachability needs every cluster (it treats what
 * could not be read as unknown), so the model is built once per parsed snapshot from a full context.
 */
export function reachabilityOf(ctx: AnalysisContext): ReachabilityMatrix {
  return modelOf(ctx).matrix;
}

function modelOf(ctx: AnalysisContext) {
  const known = snapshotModels.get(ctx.snapshot);
  if (known) return known;
  const full = buildContext(ctx.snapshot, {
    now: ctx.now,
    rootCaExpiryDays: ctx.rootCaExpiryDays,
  });
  const cited = new Map<string, FindingInput>();
  citing = cited;
  try {
    const matrix = buildMatrix(full);
    const result = { matrix, cited: onlyNo(matrix, cited) };
    snapshotModels.set(ctx.snapshot, result);
    return result;
  } finally {
    citing = undefined;
  }
}

/** Keep the inputs of reasons of aspects that are "no". */
function onlyNo(
  matrix: ReachabilityMatrix,
  all: Map<string, FindingInput>,
): Map<string, FindingInput> {
  const out = new Map<string, FindingInput>();
  for (const p of matrix.pairs)
    for (const a of [p.discovered, p.routable, p.trusted])
      if (a.state === 'no')
        for (const r of a.reasons) out.set(r.findingId, all.get(r.findingId)!);
  return out;
}

function buildMatrix(ctx: AnalysisContext): ReachabilityMatrix {
  const trust = trustAssessment(ctx);
  const byName = new Map(ctx.withData.map(m => [m.name, m]));
  const pairs: ClusterPairReachability[] = [];
  for (const from of ctx.members) {
    const client = byName.get(from.name);
    const configCluster = client ? configClusterOf(ctx, client) : undefined;
    for (const to of ctx.members) {
      const dest = byName.get(to.name);
      const discovered = discoveredAspect(ctx, client, configCluster, to.name);
      const r = dest ? route(ctx, from, configCluster, dest) : undefined;
      const routable = r
        ? {
            ...aspect(r.state, r.because, r.notes),
            via: r.via,
            gateways: r.gateways,
          }
        : {
            ...aspect('unknown', [], [`${to.name} has not been read.`]),
            via: 'direct' as const,
            gateways: [],
          };
      let trusted: ReachabilityAspect;
      if (from.name === to.name) trusted = aspect('yes');
      else if (!client || !dest) trusted = aspect('unknown');
      else {
        const state = rootTrust(client.data.rootCA, dest.data.rootCA);
        trusted =
          state === 'no' && trust.finding
            ? aspect('no', [trust.finding])
            : aspect(
                state,
                [],
                state === 'unknown'
                  ? [
                      'A root CA bundle is missing or unreadable: trust assumed.',
                    ]
                  : [],
              );
      }
      const pair = {
        from: from.name,
        to: to.name,
        ...(configCluster ? { controlPlane: configCluster.name } : {}),
        discovered,
        routable,
        trusted,
      };
      pairs.push({ ...pair, outcome: outcomeOf(pair) });
    }
  }
  return {
    clusters: ctx.members.map(m => m.name),
    multiNetwork: ctx.multiNetwork,
    pairs,
    networks: networksOf(ctx),
  };
}

/**
 * The findings that make some pair's aspect "no", by id: a finding not in here cuts nothing (and is at most a
 * warning).
 */
export function citedFindings(
  ctx: AnalysisContext,
): ReadonlyMap<string, FindingInput> {
  return modelOf(ctx).cited;
}

/** The snapshot without what reachability never reads (services, workloads, policies), before normalising. */
function pruned(snapshot: unknown): unknown {
  if (!isRecord(snapshot)) return snapshot;
  return {
    ...snapshot,
    clusters: asArray(snapshot.clusters).map(c => {
      if (!isRecord(c) || !isRecord(c.data)) return c;
      return {
        ...c,
        data: {
          ...c.data,
          services: [],
          workloads: [],
          namespaces: [],
          destinationRules: [],
          virtualServices: [],
          peerAuthentications: [],
          malformedObjects: [],
        },
      };
    }),
  };
}

const snapshotMemo = new WeakMap<object, ReachabilityMatrix>();

/** The model of a snapshot, computed once per snapshot object. Never throws. */
export function meshReachability(snapshot: MeshSnapshot): ReachabilityMatrix {
  if (isRecord(snapshot)) {
    const known = snapshotMemo.get(snapshot);
    if (known) return known;
  }
  let matrix: ReachabilityMatrix;
  try {
    matrix = reachabilityOf(buildContext(parseSnapshot(pruned(snapshot)), {}));
  } catch {
    matrix = { clusters: [], multiNetwork: false, pairs: [], networks: [] };
  }
  if (isRecord(snapshot)) snapshotMemo.set(snapshot, matrix);
  return matrix;
}

const pairIndexes = new WeakMap<
  ReachabilityMatrix,
  Map<string, ClusterPairReachability>
>();

/** The pair, or undefined when either cluster is not a member. */
export function pairOf(
  matrix: ReachabilityMatrix,
  from: string,
  to: string,
): ClusterPairReachability | undefined {
  let index = pairIndexes.get(matrix);
  if (!index) {
    index = new Map(matrix.pairs.map(p => [`${p.from}\u0000${p.to}`, p]));
    pairIndexes.set(matrix, index);
  }
  return index.get(`${from}\u0000${to}`);
}

/** The simulator's view of the model: the pairs among these clusters that are not plainly reachable. */
export function simReachability(
  matrix: ReachabilityMatrix,
  clients: Iterable<string>,
  destinations: Iterable<string>,
): SimReachability[] {
  const out: SimReachability[] = [];
  const to = [...new Set(destinations)];
  for (const from of new Set(clients)) {
    for (const dest of to) {
      const pair = pairOf(matrix, from, dest);
      if (!pair || pair.outcome === 'reachable') continue;
      // Excluded: the discovery reasons decide; a route or trust that is missing too is named after them, so that
      // fixing the secret alone is not mistaken for the whole fix.
      const reasons = [
        ...(pair.outcome === 'excluded' ? pair.discovered.reasons : []),
        ...(pair.routable.state === 'no' ? pair.routable.reasons : []),
        ...(pair.trusted.state === 'no' ? pair.trusted.reasons : []),
      ];
      out.push({ from, to: dest, outcome: pair.outcome, reasons });
    }
  }
  return out;
}
