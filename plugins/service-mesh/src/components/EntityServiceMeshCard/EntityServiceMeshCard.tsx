import { ReactNode } from 'react';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { KUBERNETES_ID_ANNOTATION } from '@internal/plugin-service-mesh-common';
import { useEntityMesh } from '../../hooks';
import {
  isEmptyEntityResponse,
  isNotFoundError,
} from '../EntityServiceMeshContent/isNotFound';
import { coveragePercent } from '../MeshMembershipTable';
import { ClusterStatusChip, SeverityChip, ToneChip } from '../StatusChips';
import { summarizeEntity } from './summarize';
import {
  isNotAllowedError,
  MeshPermissionRequired,
} from '../RequireMeshPermission';
import { useServiceMeshTabLink } from './useServiceMeshTabLink';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
  },
  term: { fontWeight: 700 },
  value: {
    margin: 0,
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

function Card(props: { children: ReactNode; link?: string }) {
  return (
    <InfoCard
      title="Service Mesh"
      titleTypographyProps={{ component: 'h2', variant: 'h5' }}
      deepLink={
        props.link
          ? { title: 'Open the Service Mesh tab', link: props.link }
          : undefined
      }
    >
      {props.children}
    </InfoCard>
  );
}

/** Compact mesh summary for the entity overview: clusters, sidecars, mTLS, worst finding. */
export function EntityServiceMeshCard() {
  const classes = useStyles();
  const { entity } = useEntity();
  const { value, loading, error, annotated } = useEntityMesh(entity);
  const link = useServiceMeshTabLink(entity);

  if (!annotated) {
    return (
      <Card>
        <Typography>
          Add the {KUBERNETES_ID_ANNOTATION} annotation to see this entity in
          the mesh.
        </Typography>
      </Card>
    );
  }
  if (loading) {
    return (
      <Card>
        <Progress />
      </Card>
    );
  }
  if (error && isNotAllowedError(error)) {
    return (
      <Card>
        <MeshPermissionRequired />
      </Card>
    );
  }
  if (error && !isNotFoundError(error)) {
    return (
      <Card>
        <ResponseErrorPanel error={error} />
      </Card>
    );
  }
  if (!value || isEmptyEntityResponse(value)) {
    return (
      <Card>
        <Typography>
          Not found in the mesh: no cluster runs this entity's workloads.
        </Typography>
      </Card>
    );
  }

  const summary = summarizeEntity(value);
  const percent = coveragePercent({
    pods: summary.pods,
    withSidecar: summary.withSidecar,
  });
  return (
    <Card link={link}>
      <dl className={classes.list}>
        <dt className={classes.term}>Clusters</dt>
        <dd className={classes.value}>
          {summary.clusters.map(cluster => (
            <span key={cluster.name} className={classes.value}>
              {cluster.name}
              {cluster.status !== 'ok' && (
                <ClusterStatusChip status={cluster.status} />
              )}
            </span>
          ))}
        </dd>
        <dt className={classes.term}>Sidecars</dt>
        <dd className={classes.value}>
          <ToneChip
            tone={percent === 100 ? 'ok' : 'warning'}
            label={`${percent}%`}
          />
          {summary.withSidecar} of {summary.pods} pods
        </dd>
        <dt className={classes.term}>mTLS</dt>
        <dd className={classes.value}>
          {summary.mtls
            .map(({ mode, clusters }) => `${mode} in ${clusters.join(', ')}`)
            .join('; ')}
        </dd>
        <dt className={classes.term}>Endpoints</dt>
        <dd className={classes.value}>
          {summary.ready} ready, {summary.notReady} not ready
        </dd>
        <dt className={classes.term}>Findings</dt>
        <dd className={classes.value}>
          {summary.worst ? (
            <>
              <SeverityChip severity={summary.worst} />
              {summary.findings}{' '}
              {summary.findings === 1 ? 'finding' : 'findings'}
            </>
          ) : (
            'None'
          )}
        </dd>
      </dl>
    </Card>
  );
}
