import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';
import { serviceMeshRefreshPermission } from '@internal/plugin-service-mesh-common';
import { serviceMeshApiRef } from '../../api';
import { formatTime } from '../../utils/format';

export const REFRESH_DENIED_TEXT =
  'You do not have permission to refresh the mesh (service-mesh.refresh).';

export interface RefreshButtonProps {
  /** Called after the backend finished a refresh, to reload what is shown. */
  onRefreshed(): void;
}

/** Re-reads every cluster now (POST /refresh); disabled with an explanation without the permission. */
export function RefreshButton(props: RefreshButtonProps) {
  const api = useApi(serviceMeshApiRef);
  const alertApi = useApi(alertApiRef);
  const { loading: checking, allowed } = usePermission({
    permission: serviceMeshRefreshPermission,
  });
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    setBusy(true);
    try {
      const result = await api.refresh();
      alertApi.post({
        message: `Mesh refreshed at ${formatTime(result.generatedAt)}`,
        severity: 'success',
        display: 'transient',
      });
      props.onRefreshed();
    } catch (error) {
      alertApi.post({
        message: `Refresh failed: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

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
      {busy ? 'Refreshing…' : 'Refresh'}
    </Button>
  );

  if (!denied) return button;
  // A disabled button fires no events, so the tooltip listens on a wrapper; the reason is also announced.
  return (
    <Tooltip title={REFRESH_DENIED_TEXT}>
      <span>
        {button}
        <span id="service-mesh-refresh-denied" hidden>
          {REFRESH_DENIED_TEXT}
        </span>
      </span>
    </Tooltip>
  );
}
