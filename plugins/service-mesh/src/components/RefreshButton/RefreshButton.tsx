import { useEffect } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { serviceMeshTranslationRef } from '../../translation';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  serviceMeshRefreshPermission,
  type RefreshProgress,
} from '@internal/plugin-service-mesh-common';
import { formatTime } from '../../utils/format';
import { useRefreshRun } from './useRefreshRun';

export const REFRESH_DENIED_TEXT =
  'You do not have permission to refresh the mesh (service-mesh.refresh).';

export interface RefreshButtonProps {
  /** Called after the backend finished a refresh, to reload what is shown. */
  onRefreshed(): void;
  /** The per-cluster progress while the refresh runs (`GET /refresh`). */
  onProgress?(progress: RefreshProgress | undefined): void;
}

/** Re-reads every cluster now (POST /refresh); disabled with an explanation without the permission. */
export function RefreshButton(props: RefreshButtonProps) {
  const alertApi = useApi(alertApiRef);
  const { t } = useTranslationRef(serviceMeshTranslationRef);
  const { loading: checking, allowed } = usePermission({
    permission: serviceMeshRefreshPermission,
  });
  const { start, busy, progress } = useRefreshRun(finished => {
    const failed = finished.clusters.filter(c => c.state === 'failed');
    alertApi.post({
      message: finished.generatedAt
        ? `Mesh refreshed at ${formatTime(finished.generatedAt)}${
            failed.length
              ? `; not read: ${failed.map(c => c.name).join(', ')}`
              : ''
          }`
        : 'The refresh ended without a new snapshot',
      severity: finished.generatedAt && !failed.length ? 'success' : 'warning',
      display: 'transient',
    });
    props.onRefreshed();
  });
  const { onProgress } = props;
  useEffect(
    () => onProgress?.(busy ? progress : undefined),
    [onProgress, busy, progress],
  );

  const onClick = () =>
    start().catch(error =>
      alertApi.post({
        message: `Refresh failed: ${(error as Error).message}`,
        severity: 'error',
      }),
    );

  const denied = !checking && !allowed;
  const button = (
    <Button
      variant="outlined"
      color="primary"
      startIcon={
        busy ? <CircularProgress size={16} aria-hidden /> : <RefreshIcon />
      }
      disabled={checking || denied || busy}
      onClick={onClick}
      aria-describedby={denied ? 'service-mesh-refresh-denied' : undefined}
    >
      {busy ? t('refresh.busy') : t('refresh.button')}
    </Button>
  );

  if (!denied) return button;
  // A disabled button fires no events, so the tooltip listens on a wrapper; the reason is also announced.
  return (
    <Tooltip title={t('refresh.denied')}>
      <span>
        {button}
        <span id="service-mesh-refresh-denied" hidden>
          {t('refresh.denied')}
        </span>
      </span>
    </Tooltip>
  );
}
