import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type {
  IstiodViewStatus,
  ProxySyncRow,
  XdsState as XdsStateValue,
} from '@internal/plugin-service-mesh-common';
import { formatAge } from './formatAge';

const XDS_ICON: Record<XdsStateValue, typeof StatusOK> = {
  SYNCED: StatusOK,
  'NOT SENT': StatusPending,
  STALE: StatusWarning,
  ERROR: StatusError,
};

/** One xDS type's state, as `istioctl proxy-status` prints it: `STALE (12m)`. */
export function XdsState(props: {
  value?: ProxySyncRow['xds'][keyof ProxySyncRow['xds']];
  /** istiod's clock when it answered: ages are differences of istiod's own times. */
  observedAt?: string;
}) {
  const { value, observedAt } = props;
  if (!value) return <>IGNORED</>;
  const age = formatAge(value.since, observedAt);
  const text = `${value.state}${
    age && value.state !== 'SYNCED' ? ` (${age})` : ''
  }`;
  const Icon = XDS_ICON[value.state];
  return <Icon>{text}</Icon>;
}

/** The remote's syncStatus from istiod's /debug/clusterz. */
export function RemoteSyncStatus(props: { status: string }) {
  const { status } = props;
  if (status === 'synced') return <StatusOK>synced</StatusOK>;
  if (status === 'syncing') return <StatusWarning>syncing</StatusWarning>;
  return <StatusError>{status || 'unknown'}</StatusError>;
}

const VIEW_TEXT: Record<IstiodViewStatus, string> = {
  ok: 'read',
  forbidden: 'forbidden (403 on pods/portforward)',
  disabled: 'debug endpoints off',
  unauthenticated: 'refused (401)',
  unreachable: 'unreachable',
  error: 'error',
};

/** How the plugin could read one istiod. */
export function IstiodReadStatus(props: { status: IstiodViewStatus }) {
  const text = VIEW_TEXT[props.status];
  if (props.status === 'ok') return <StatusOK>{text}</StatusOK>;
  if (props.status === 'disabled' || props.status === 'unauthenticated')
    return <StatusPending>{text}</StatusPending>;
  if (props.status === 'error') return <StatusError>{text}</StatusError>;
  return <StatusWarning>{text}</StatusWarning>;
}
