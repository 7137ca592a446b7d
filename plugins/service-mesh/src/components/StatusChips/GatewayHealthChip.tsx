import type { GatewayHealth } from '@internal/plugin-service-mesh-common';
import { Tone, ToneChip } from './ToneChip';

const HEALTH: Record<GatewayHealth, { tone: Tone; label: string }> = {
  healthy: { tone: 'ok', label: 'Healthy' },
  degraded: { tone: 'warning', label: 'Degraded' },
  down: { tone: 'error', label: 'Down' },
  absent: { tone: 'neutral', label: 'Absent' },
};

export function GatewayHealthChip(props: { health: GatewayHealth }) {
  const { tone, label } = HEALTH[props.health] ?? HEALTH.absent;
  return <ToneChip tone={tone} label={label} />;
}
