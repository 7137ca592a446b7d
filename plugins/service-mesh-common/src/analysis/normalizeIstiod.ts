/*
 * Normalisation of the istiod view of a cluster (ClusterMeshData.istiod), like normalize.ts does for the rest:
 * whatever arrived is coerced into the exact shapes of types/snapshot.ts, so the istiod checks cannot throw.
 */
import type {
  IstiodProxySync,
  IstiodRemoteCluster,
  IstiodView,
  IstiodViewStatus,
  ProxyNamespaceSync,
  ProxySyncRow,
  XdsState,
  XdsType,
} from '../types/snapshot';
import { asArray, asCount, asString, isRecord } from '../util/guards';

const STATUSES: IstiodViewStatus[] = [
  'ok',
  'forbidden',
  'unreachable',
  'disabled',
  'unauthenticated',
  'error',
];
export const XDS_TYPES: XdsType[] = ['CDS', 'LDS', 'EDS', 'RDS', 'ECDS'];
const STATES: XdsState[] = ['SYNCED', 'STALE', 'NOT SENT', 'ERROR'];

function records(value: unknown): Record<string, unknown>[] {
  return asArray(value).filter(isRecord);
}

function opt<V>(key: string, value: V | undefined) {
  return value === undefined ? {} : { [key]: value };
}

function normalizeRow(r: Record<string, unknown>): ProxySyncRow | undefined {
  const pod = asString(r.pod);
  const namespace = asString(r.namespace);
  if (!pod || !namespace) return undefined;
  const xds: ProxySyncRow['xds'] = {};
  const raw = isRecord(r.xds) ? r.xds : {};
  for (const type of XDS_TYPES) {
    const t = raw[type];
    if (!isRecord(t) || !STATES.includes(t.state as XdsState)) continue;
    xds[type] = {
      state: t.state as XdsState,
      ...opt('since', asString(t.since)),
      ...opt('error', asString(t.error)),
    };
  }
  return {
    pod,
    namespace,
    ...opt('clusterId', asString(r.clusterId)),
    ...opt('proxyType', asString(r.proxyType)),
    ...opt('version', asString(r.version)),
    xds,
  } as ProxySyncRow;
}

function normalizeProxies(value: unknown): IstiodProxySync | undefined {
  if (!isRecord(value)) return undefined;
  const byNamespace: ProxyNamespaceSync[] = records(value.byNamespace).flatMap(
    n => {
      const namespace = asString(n.namespace);
      if (!namespace) return [];
      return [
        {
          clusterId: asString(n.clusterId) ?? '',
          namespace,
          proxies: asCount(n.proxies),
          synced: asCount(n.synced),
          stale: asCount(n.stale),
          notSent: asCount(n.notSent),
          error: asCount(n.error),
        },
      ];
    },
  );
  const rows = records(value.rows)
    .map(normalizeRow)
    .filter((r): r is ProxySyncRow => !!r);
  return {
    total: asCount(value.total),
    synced: asCount(value.synced),
    byNamespace,
    versions: records(value.versions).flatMap(v => {
      const version = asString(v.version);
      return version ? [{ version, proxies: asCount(v.proxies) }] : [];
    }),
    rows,
    rowsTotal: Math.max(asCount(value.rowsTotal), rows.length),
  };
}

function normalizeRemote(
  r: Record<string, unknown>,
): IstiodRemoteCluster | undefined {
  const id = asString(r.id);
  if (!id) return undefined;
  return {
    id,
    secretName: asString(r.secretName) ?? '',
    syncStatus: asString(r.syncStatus) ?? '',
  };
}

export function normalizeIstiodViews(value: unknown): IstiodView[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return records(value).flatMap(r => {
    const revision = asString(r.revision);
    if (!revision) return [];
    const status = STATUSES.includes(r.status as IstiodViewStatus)
      ? (r.status as IstiodViewStatus)
      : 'error';
    const remotes = Array.isArray(r.remoteClusters)
      ? records(r.remoteClusters)
          .map(normalizeRemote)
          .filter((x): x is IstiodRemoteCluster => !!x)
      : undefined;
    return [
      {
        revision,
        namespace: asString(r.namespace) ?? 'istio-system',
        ...opt('pod', asString(r.pod)),
        status,
        ...opt('error', asString(r.error)),
        ...opt('rbacRule', asString(r.rbacRule)),
        ...opt('observedAt', asString(r.observedAt)),
        ...opt('clusterId', asString(r.clusterId)),
        ...opt('remoteClusters', remotes),
        ...opt('proxies', normalizeProxies(r.proxies)),
      } as IstiodView,
    ];
  });
}
