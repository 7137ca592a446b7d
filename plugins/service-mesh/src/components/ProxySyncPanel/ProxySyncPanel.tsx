import { Table, type TableColumn } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  ClusterMeshStatus,
  IstiodView,
  ProxySyncRow,
} from '@internal/plugin-service-mesh-common';
import { IstiodReadStatus, XdsState } from '../XdsState';
import { formatAge } from '../XdsState/formatAge';

const TYPES = ['CDS', 'LDS', 'EDS', 'RDS'] as const;

interface SummaryRow {
  id: string;
  /** When the proxy sync was read (syncz is read on its own, longer interval than the refresh). */
  age?: string;
  cluster: string;
  istiod: string;
  view: IstiodView;
  stale: number;
  notSent: number;
  error: number;
}

interface ProxyRow extends ProxySyncRow {
  id: string;
  cluster: string;
  istiodPod: string;
  observedAt?: string;
}

const count = (n: number | undefined) => (n === undefined ? '—' : n);

const summaryColumns: TableColumn<SummaryRow>[] = [
  { title: 'Cluster', field: 'cluster' },
  { title: 'istiod', field: 'istiod' },
  {
    title: 'Read',
    render: r => <IstiodReadStatus status={r.view.status} />,
  },
  {
    title: 'Proxy sync read',
    render: r => (r.age ? `${r.age} ago` : '—'),
  },
  {
    title: 'Proxies',
    render: r => count(r.view.proxies?.total),
    type: 'numeric',
  },
  {
    title: 'Synced',
    render: r => count(r.view.proxies?.synced),
    type: 'numeric',
  },
  {
    title: 'Stale',
    render: r => count(r.view.proxies && r.stale),
    type: 'numeric',
  },
  {
    title: 'Not sent',
    render: r => count(r.view.proxies && r.notSent),
    type: 'numeric',
  },
  {
    title: 'Rejected',
    render: r => count(r.view.proxies && r.error),
    type: 'numeric',
  },
  {
    title: 'Versions',
    render: r =>
      r.view.proxies?.versions
        .map(v => `${v.version} (${v.proxies})`)
        .join(', ') ?? '—',
  },
];

const proxyColumns: TableColumn<ProxyRow>[] = [
  { title: 'Cluster', field: 'cluster' },
  { title: 'Namespace', field: 'namespace' },
  { title: 'Pod', field: 'pod' },
  { title: 'istiod', field: 'istiodPod' },
  { title: 'Version', field: 'version' },
  ...TYPES.map(
    (type): TableColumn<ProxyRow> => ({
      title: type,
      render: r => <XdsState value={r.xds[type]} observedAt={r.observedAt} />,
    }),
  ),
];

/**
 * Proxy sync per istiod (its /debug/syncz, as `istioctl proxy-status`): counts per cluster, and the proxies that are
 * not fully synced with their per-type state and age by istiod's clock.
 */
export function ProxySyncPanel(props: {
  clusters: ClusterMeshStatus[];
  /** The clock the read ages are measured against (tests); default now. */
  now?: string;
}) {
  const now = props.now ?? new Date().toISOString();
  const summary: SummaryRow[] = [];
  const proxies: ProxyRow[] = [];
  let capped = 0;
  for (const c of props.clusters) {
    for (const view of c.istiod ?? []) {
      const istiod = view.pod ?? view.revision;
      const sum = (k: 'stale' | 'notSent' | 'error') =>
        (view.proxies?.byNamespace ?? []).reduce((n, ns) => n + ns[k], 0);
      summary.push({
        id: `${c.name}/${istiod}`,
        cluster: c.name,
        istiod,
        view,
        ...(view.proxiesReadAt
          ? { age: formatAge(view.proxiesReadAt, now) }
          : {}),
        stale: sum('stale'),
        notSent: sum('notSent'),
        error: sum('error'),
      });
      for (const r of view.proxies?.rows ?? [])
        proxies.push({
          ...r,
          id: `${c.name}/${istiod}/${r.namespace}/${r.pod}`,
          cluster: c.name,
          istiodPod: istiod,
          ...(view.observedAt ? { observedAt: view.observedAt } : {}),
        });
      if (view.proxies)
        capped += view.proxies.rowsTotal - view.proxies.rows.length;
    }
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Table<SummaryRow>
          title="Proxy sync"
          subtitle="What each istiod reports of its connected proxies (/debug/syncz)."
          options={{
            paging: false,
            search: false,
            padding: 'dense',
            draggable: false,
          }}
          columns={summaryColumns}
          data={summary}
          emptyContent={
            <Typography style={{ padding: 16 }}>
              istiod's view was not read in any cluster.
            </Typography>
          }
        />
      </Grid>
      <Grid item xs={12}>
        <Table<ProxyRow>
          title="Proxies not synced"
          subtitle={
            capped > 0
              ? `${capped} more not listed: each istiod's list keeps its worst proxies.`
              : 'Ages are istiod\u2019s own: its answer time minus the time of the push.'
          }
          options={{
            paging: proxies.length > 20,
            pageSize: 20,
            emptyRowsWhenPaging: false,
            padding: 'dense',
            draggable: false,
          }}
          columns={proxyColumns}
          data={proxies}
          emptyContent={
            <Typography style={{ padding: 16 }}>
              Every proxy istiod reports is synced.
            </Typography>
          }
        />
      </Grid>
    </Grid>
  );
}
