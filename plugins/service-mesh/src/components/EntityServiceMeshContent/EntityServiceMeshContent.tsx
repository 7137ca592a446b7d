import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import type { EntityResponse } from '@internal/plugin-service-mesh-common';
import { useEntityMesh, useSnapshotUpdates } from '../../hooks';
import { formatTime } from '../../utils/format';
import { EndpointDistributionChart } from '../EndpointDistributionChart';
import { MissingAnnotationState, NotInMeshState } from '../EntityEmptyStates';
import { EntityProxySync } from '../EntityProxySync';
import { FindingsTable } from '../FindingsTable';
import { LoadingSkeleton } from '../LoadingSkeleton';
import { MeshMembershipTable } from '../MeshMembershipTable';
import { Timestamp } from '../Timestamp';
import { TrafficPanel } from '../TrafficPanel';
import { TrafficPoliciesTable } from '../TrafficPoliciesTable';
import { TrafficSplit } from '../TrafficSplit';
import { isEmptyEntityResponse, isNotFoundError } from './isNotFound';
import {
  isNotAllowedError,
  MeshPermissionRequired,
  RequireMeshPermission,
} from '../RequireMeshPermission';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
}));

function StaleWarning(props: { response: EntityResponse }) {
  const notOk = props.response.clusters.filter(view => view.status !== 'ok');
  if (notOk.length === 0) return null;
  return (
    <Grid item xs={12}>
      <WarningPanel
        severity="warning"
        title={`Data from ${notOk
          .map(v => v.cluster)
          .join(', ')} may be out of date`}
      >
        {notOk.map(view => (
          <Typography key={view.cluster} variant="body2">
            {view.cluster} is {view.status}: showing its last good data, read at{' '}
            {formatTime(view.lastSyncedAt)}.
          </Typography>
        ))}
      </WarningPanel>
    </Grid>
  );
}

/** The entity's Service Mesh tab: membership, endpoints, policies, traffic split and findings. */
export function EntityServiceMeshContent() {
  return (
    <RequireMeshPermission>
      <EntityMeshContent />
    </RequireMeshPermission>
  );
}

function EntityMeshContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const { value, loading, error, retry, annotated } = useEntityMesh(entity);
  useSnapshotUpdates({
    shownGeneratedAt: value?.generatedAt,
    pending: value?.status === 'pending',
    reload: retry,
  });

  if (!annotated) {
    return <MissingAnnotationState />;
  }
  if (loading && !value) {
    return (
      <LoadingSkeleton label="Loading the service mesh for this entity…" />
    );
  }
  if (error) {
    if (isNotAllowedError(error)) return <MeshPermissionRequired />;
    return isNotFoundError(error) ? (
      <NotInMeshState />
    ) : (
      <ResponseErrorPanel error={error} />
    );
  }
  if (value?.status === 'pending') {
    return (
      <LoadingSkeleton label="The service-mesh backend is reading the clusters for the first time…" />
    );
  }
  if (!value || isEmptyEntityResponse(value)) {
    return <NotInMeshState selector={value?.selector} />;
  }

  const clusters = value.clusters.map(view => view.cluster);
  return (
    <>
      {loading && <LinearProgress aria-label="Reloading" />}
      <div className={classes.bar}>
        <Typography variant="body1">
          Snapshot from <Timestamp value={value.generatedAt} relative />
        </Typography>
        <IconButton
          size="small"
          aria-label="Reload mesh data"
          onClick={retry}
          disabled={loading}
        >
          <RefreshIcon />
        </IconButton>
      </div>
      <Grid container spacing={3}>
        <StaleWarning response={value} />
        <Grid item xs={12}>
          <MeshMembershipTable clusters={value.clusters} />
        </Grid>
        {value.clusters.some(c => c.proxySync) && (
          <Grid item xs={12}>
            <EntityProxySync clusters={value.clusters} />
          </Grid>
        )}
        <Grid item xs={12} lg={6}>
          <EndpointDistributionChart rows={value.endpointDistribution} />
        </Grid>
        <Grid item xs={12} lg={6}>
          <TrafficPoliciesTable
            policies={value.trafficPolicies}
            clusters={clusters}
          />
        </Grid>
        <Grid item xs={12}>
          <TrafficSplit simulations={value.simulations} />
        </Grid>
        <Grid item xs={12}>
          <TrafficPanel entityRef={value.entityRef} />
        </Grid>
        <Grid item xs={12}>
          <FindingsTable
            findings={value.findings}
            filterable={value.findings.length > 5}
            emptyText="No findings for this entity."
          />
        </Grid>
      </Grid>
    </>
  );
}
