import { Table, type TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type {
  EntityClusterView,
  EntityProxySync as EntityProxySyncData,
} from '@internal/plugin-service-mesh-common';
import { IstiodReadStatus, XdsState } from '../XdsState';
import { formatAge } from '../XdsState/formatAge';

const TYPES = ['CDS', 'LDS', 'EDS', 'RDS'] as const;

interface Row {
  id: string;
  cluster: string;
  sync: EntityProxySyncData;
  row?: EntityProxySyncData['rows'][number];
}

const columnsAt = (now: string): TableColumn<Row>[] => [
  { title: 'Cluster', field: 'cluster' },
  {
    title: 'Proxy',
    render: r =>
      r.row ? `${r.row.pod}.${r.row.namespace}` : summaryText(r.sync, now),
  },
  { title: 'istiod', render: r => r.row?.istiod ?? '' },
  { title: 'Version', render: r => r.row?.version ?? '' },
  ...TYPES.map(
    (type): TableColumn<Row> => ({
      title: type,
      render: r =>
        r.row ? (
          <XdsState value={r.row.xds[type]} observedAt={r.sync.observedAt} />
        ) : (
          ''
        ),
    }),
  ),
];

function summaryText(sync: EntityProxySyncData, now: string): React.ReactNode {
  if (sync.status !== 'ok')
    return (
      <>
        <IstiodReadStatus status={sync.status} />
        {sync.error && (
          <Typography variant="body2" color="textSecondary">
            {sync.error}
          </Typography>
        )}
      </>
    );
  const synced =
    sync.synced === undefined ? 'unknown' : `${sync.synced} of ${sync.proxies}`;
  // syncz is read on its own interval: say how old this is
  const age = formatAge(sync.readAt, now);
  return `${synced} proxies synced${
    age ? ` (proxy sync read ${age} ago)` : ''
  }`;
}

/** The sync state of the entity's proxies in each cluster, as that cluster's istiod reports it. */
export function EntityProxySync(props: {
  clusters: EntityClusterView[];
  /** The clock the read age is measured against (tests); default now. */
  now?: string;
}) {
  const now = props.now ?? new Date().toISOString();
  const rows: Row[] = props.clusters.flatMap(c => {
    const sync = c.proxySync;
    if (!sync) return [];
    return [
      { id: `${c.cluster}`, cluster: c.cluster, sync },
      ...sync.rows.map(row => ({
        id: `${c.cluster}/${row.namespace}/${row.pod}`,
        cluster: c.cluster,
        sync,
        row,
      })),
    ];
  });
  if (rows.length === 0) return null;
  return (
    <Table<Row>
      title="Proxy sync"
      subtitle="istiod's view of this entity's sidecars (/debug/syncz); only proxies that are not fully synced are listed."
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        draggable: false,
      }}
      columns={columnsAt(now)}
      data={rows}
    />
  );
}
