import { Table, type TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type {
  ClusterMeshStatus,
  IstiodView,
} from '@internal/plugin-service-mesh-common';
import { IstiodReadStatus, RemoteSyncStatus } from '../XdsState';

interface Row {
  id: string;
  cluster: string;
  istiod: string;
  remote?: string;
  secret?: string;
  syncStatus?: string;
  read: IstiodView;
}

const columns: TableColumn<Row>[] = [
  { title: 'Cluster', field: 'cluster' },
  {
    title: 'Remote cluster',
    field: 'remote',
    render: r => r.remote ?? '—',
  },
  {
    title: 'Sync (istiod)',
    field: 'syncStatus',
    render: r =>
      r.syncStatus !== undefined ? (
        <RemoteSyncStatus status={r.syncStatus} />
      ) : (
        <>
          <IstiodReadStatus status={r.read.status} />
          {r.read.error && (
            <Typography variant="body2" color="textSecondary">
              {r.read.error}
            </Typography>
          )}
        </>
      ),
  },
  // The namespace is istiod's own: the secret's name is enough here.
  {
    title: 'Secret',
    field: 'secret',
    render: r => r.secret?.split('/').pop() ?? '—',
  },
  { title: 'istiod', field: 'istiod' },
];

/**
 * The control plane's own view of its remotes (istiod's /debug/clusterz, as `istioctl remote-clusters`), next to
 * the remote-secret matrix: a secret can exist while istiod cannot sync the cluster it points to.
 */
export function IstiodRemoteClusters(props: { clusters: ClusterMeshStatus[] }) {
  const members = props.clusters.filter(c => c.role === 'member');
  const rows: Row[] = members.flatMap(c =>
    (c.istiod ?? []).flatMap(view => {
      const istiod = view.pod ?? view.revision;
      if (!view.remoteClusters)
        return [
          { id: `${c.name}/${istiod}`, cluster: c.name, istiod, read: view },
        ];
      if (view.remoteClusters.length === 0)
        return [
          {
            id: `${c.name}/${istiod}`,
            cluster: c.name,
            istiod,
            remote: 'none',
            read: view,
          },
        ];
      return view.remoteClusters.map(r => ({
        id: `${c.name}/${istiod}/${r.id}`,
        cluster: c.name,
        istiod,
        remote: r.id,
        secret: r.secretName,
        syncStatus: r.syncStatus,
        read: view,
      }));
    }),
  );
  const notRead = members.filter(c => !c.istiod?.length).map(c => c.name);
  return (
    <Table<Row>
      title="Remote clusters as istiod sees them"
      subtitle={
        notRead.length
          ? `istiod's view was not read for ${notRead.join(', ')}.`
          : 'From each istiod\u2019s /debug/clusterz (istioctl remote-clusters).'
      }
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        draggable: false,
      }}
      columns={columns}
      data={rows}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No istiod reported its remote clusters.
        </Typography>
      }
    />
  );
}
