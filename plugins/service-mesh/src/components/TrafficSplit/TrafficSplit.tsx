import Typography from '@material-ui/core/Typography';
import type { EntityServiceSimulation } from '@internal/plugin-service-mesh-common';
import { SectionCard } from '../SectionCard';
import { ServiceSplit } from './ServiceSplit';

export interface TrafficSplitProps {
  simulations: EntityServiceSimulation[];
}

/** Expected traffic split from each client locality, per service, with a what-if control. */
export function TrafficSplit(props: TrafficSplitProps) {
  return (
    <SectionCard
      title="Traffic split"
      subheader="Where requests go from each client locality, as Envoy's locality load balancing computes it"
    >
      {props.simulations.length === 0 ? (
        <Typography>
          No service of this entity has endpoints to split.
        </Typography>
      ) : (
        props.simulations.map(simulation => (
          <ServiceSplit key={simulation.service} simulation={simulation} />
        ))
      )}
    </SectionCard>
  );
}
