import type { EntityClusterView } from '@internal/plugin-service-mesh-common';
import { Tone, ToneChip } from './ToneChip';

type Mode = EntityClusterView['mtlsMode'];

const TONE: Record<string, Tone> = {
  STRICT: 'ok',
  PERMISSIVE: 'warning',
  'PERMISSIVE (default)': 'warning',
  UNSET: 'warning',
  DISABLE: 'error',
};

const EXPLANATION: Record<string, string> = {
  STRICT: 'STRICT: only mTLS traffic is accepted',
  PERMISSIVE: 'PERMISSIVE: plaintext is accepted as well as mTLS',
  'PERMISSIVE (default)':
    'PERMISSIVE (default): no PeerAuthentication applies, so plaintext is accepted as well as mTLS',
  UNSET: 'UNSET: inherits the parent scope, which defaults to PERMISSIVE',
  DISABLE: 'DISABLE: mTLS is off; cross-network traffic is dropped',
};

export function MtlsChip(props: { mode: Mode }) {
  return (
    <ToneChip
      tone={TONE[props.mode] ?? 'neutral'}
      label={props.mode}
      title={EXPLANATION[props.mode]}
    />
  );
}
