import { ReactNode } from 'react';
import { WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import { serviceMeshReadPermission } from '@internal/plugin-service-mesh-common';
import { serviceMeshTranslationRef } from '../../translation';
import { isBackendError } from '../../utils/backendErrors';

/** The panel for a user without `service-mesh.read` (as the Kubernetes plugin's RequireKubernetesPermissions). */
export function MeshPermissionRequired() {
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  return (
    <WarningPanel
      title={t('permission.title')}
      message={t('permission.message')}
    />
  );
}

/** Renders its children only for users allowed to read the mesh; others get the permission panel. */
export function RequireMeshPermission(props: { children: ReactNode }) {
  const { loading, allowed } = usePermission({
    permission: serviceMeshReadPermission,
  });
  if (loading) return null;
  return allowed ? <>{props.children}</> : <MeshPermissionRequired />;
}

/** A 403 from the backend (a policy that decides per request, or a frontend without the permission API). */
export function isNotAllowedError(error: unknown): boolean {
  return isBackendError(error, 'NotAllowedError', 403);
}
