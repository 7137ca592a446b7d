import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import { useMeshOverview, useSnapshotUpdates } from '../../hooks';
import { FindingsTable } from '../FindingsTable';
import { FindingsTrend } from '../FindingsTrend';
import { IstiodRemoteClusters } from '../IstiodRemoteClusters';
import { LoadingSkeleton } from '../LoadingSkeleton';
import { LocalitiesTable } from '../LocalitiesTable';
import { MeshClustersTable } from '../MeshClustersTable';
import { MeshTrafficMatrix } from '../MeshTrafficMatrix';
import { ProxySyncPanel } from '../ProxySyncPanel';
import { MeshTopology, ReachabilityMatrix } from '../Reachability';
import { TrafficTrends } from '../TrafficTrends';
import { RefreshButton } from '../RefreshButton';
import { RemoteSecretMatrix } from '../RemoteSecretMatrix';
import { RootCaPanel } from '../RootCaPanel';
import {
  isNotAllowedError,
  MeshPermissionRequired,
  RequireMeshPermission,
} from '../RequireMeshPermission';
import { MeshSummaryBar } from './MeshSummaryBar';

/** The platform view of the whole mesh (without page chrome, so both frontend systems can frame it). */
export function ServiceMeshDashboard() {
  return (
    <RequireMeshPermission>
      <MeshDashboard />
    </RequireMeshPermission>
  );
}

function MeshDashboard() {
  const { value, loading, error, retry } = useMeshOverview();
  useSnapshotUpdates({
    shownGeneratedAt: value?.generatedAt,
    pending: value?.status === 'pending',
    reload: retry,
  });

  if (loading && !value) {
    return <LoadingSkeleton label="Loading the service mesh…" />;
  }
  if (error) {
    return isNotAllowedError(error) ? (
      <MeshPermissionRequired />
    ) : (
      <ResponseErrorPanel error={error} />
    );
  }
  if (!value || value.clusters.length === 0) {
    return (
      <EmptyState
        missing="info"
        title="No mesh clusters"
        description="The service-mesh backend knows no clusters. List the clusters of the mesh under kubernetes.clusterLocatorMethods (the Kubernetes plugin's configuration) and name the management cluster under serviceMesh.managementCluster."
        action={<RefreshButton onRefreshed={retry} />}
      />
    );
  }

  return (
    <>
      {loading && <LinearProgress aria-label="Reloading the service mesh" />}
      <MeshSummaryBar overview={value} onRefreshed={retry} />
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <MeshClustersTable
            clusters={value.clusters}
            multiNetwork={value.multiNetwork}
          />
        </Grid>
        {value.reachability && value.reachability.clusters.length > 0 && (
          <>
            <Grid item xs={12}>
              <MeshTopology matrix={value.reachability} />
            </Grid>
            <Grid item xs={12}>
              <ReachabilityMatrix
                matrix={value.reachability}
                findings={value.findings}
              />
            </Grid>
          </>
        )}
        <Grid item xs={12} lg={6}>
          <RemoteSecretMatrix clusters={value.clusters} />
        </Grid>
        <Grid item xs={12} lg={6}>
          <IstiodRemoteClusters clusters={value.clusters} />
        </Grid>
        <Grid item xs={12} lg={6}>
          <RootCaPanel clusters={value.clusters} />
        </Grid>
        <Grid item xs={12} lg={6}>
          <LocalitiesTable clusters={value.clusters} />
        </Grid>
        <Grid item xs={12} lg={6}>
          <MeshTrafficMatrix />
        </Grid>
        <Grid item xs={12}>
          <TrafficTrends />
        </Grid>
        <Grid item xs={12}>
          <ProxySyncPanel clusters={value.clusters} />
        </Grid>
        <Grid item xs={12}>
          <FindingsTrend generatedAt={value.generatedAt} />
        </Grid>
        <Grid item xs={12}>
          <FindingsTable findings={value.findings} />
        </Grid>
      </Grid>
    </>
  );
}
