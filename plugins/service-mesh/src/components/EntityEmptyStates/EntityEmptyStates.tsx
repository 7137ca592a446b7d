import { EmptyState } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  type EntitySelector,
} from '@internal/plugin-service-mesh-common';

/**
 * The entity has none of the Kubernetes plugin's annotations: Backstage's own empty state, with the annotation
 * the Kubernetes plugin documents (the mesh tab uses the same ones).
 */
export function MissingAnnotationState() {
  return (
    <MissingAnnotationEmptyState
      annotation={[
        KUBERNETES_ID_ANNOTATION,
        KUBERNETES_LABEL_SELECTOR_ANNOTATION,
      ]}
      readMoreUrl="https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity"
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
