import { EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  type EntitySelector,
} from '@internal/plugin-service-mesh-common';

const useStyles = makeStyles(theme => ({
  yaml: {
    fontFamily: 'monospace',
    fontSize: '0.85rem',
    backgroundColor: theme.palette.type === 'dark' ? '#263238' : '#F5F5F5',
    color: theme.palette.type === 'dark' ? '#FFFFFF' : '#212121',
    padding: theme.spacing(1.5),
    borderRadius: theme.shape.borderRadius,
    margin: 0,
  },
}));

/** The entity has none of the Kubernetes plugin's annotations. */
export function MissingAnnotationState(props: { name: string }) {
  const classes = useStyles();
  return (
    <EmptyState
      missing="field"
      title="This entity is not linked to Kubernetes"
      description={`Add the ${KUBERNETES_ID_ANNOTATION} annotation (the same one the Kubernetes plugin uses) to catalog-info.yaml, so the mesh plugin can find this entity's workloads in every cluster. Label the workloads with ${KUBERNETES_ID_ANNOTATION}=<id>, or use backstage.io/kubernetes-label-selector instead.`}
      action={
        <pre className={classes.yaml}>
          {`metadata:
  annotations:
    ${KUBERNETES_ID_ANNOTATION}: ${props.name}
    ${KUBERNETES_NAMESPACE_ANNOTATION}: <namespace>  # optional`}
        </pre>
      }
    />
  );
}

function describeSelector(selector?: EntitySelector): string {
  if (!selector) return 'its Kubernetes annotations';
  const parts = [
    selector.kubernetesId &&
      `${KUBERNETES_ID_ANNOTATION}=${selector.kubernetesId}`,
    selector.labelSelector && `label selector ${selector.labelSelector}`,
  ].filter(Boolean);
  const where = selector.namespace
    ? ` in namespace ${selector.namespace}`
    : ' in any namespace';
  return `${parts.join(' and ')}${where}`;
}

/** The entity is annotated, but no cluster of the mesh runs its workloads. */
export function NotInMeshState(props: { selector?: EntitySelector }) {
  return (
    <EmptyState
      missing="data"
      title="Not found in the mesh"
      description={`No cluster of the mesh has Services or pods matching ${describeSelector(
        props.selector,
      )}. Check that the workloads carry the label, that the annotation matches, and that the namespace is onboarded into the mesh.`}
      action={
        <Typography variant="body2">
          Onboard a namespace with the "Join the service mesh" template, or
          label it cpaas.io/serviceMesh=enabled and
          istio.io/rev=&lt;revision&gt; in every cluster.
        </Typography>
      }
    />
  );
}
