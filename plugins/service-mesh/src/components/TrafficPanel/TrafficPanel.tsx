import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { serviceMeshApiRef } from '../../api';
import { SectionCard } from '../SectionCard';
import { errorMessage } from '../TrafficWindowSelector/errorMessage';
import { Timestamp } from '../Timestamp';
import {
  NoLiveData,
  TrafficWindowSelector,
  useTrafficWindow,
} from '../TrafficWindowSelector';
import { ServiceTrafficSection } from './ServiceTrafficSection';

const useStyles = makeStyles(theme => ({
  footer: { marginTop: theme.spacing(1), color: theme.palette.text.secondary },
}));

export interface TrafficPanelProps {
  /** `kind:namespace/name` of the entity. */
  entityRef: string;
}

/**
 * Live traffic of an entity's services: where requests actually went from each client cluster, next to where
 * the traffic policies say they should go, with rate, errors and latency, over a selectable window.
 */
export function TrafficPanel(props: TrafficPanelProps) {
  const classes = useStyles();
  const api = useApi(serviceMeshApiRef);
  const [trafficWindow, setTrafficWindow] = useTrafficWindow();
  const { value, loading, error } = useAsyncRetry(
    () => api.getTraffic(props.entityRef, trafficWindow),
    [api, props.entityRef, trafficWindow],
  );

  let body;
  if (error) {
    body = (
      <WarningPanel
        severity="warning"
        title="Live traffic could not be loaded"
        message={errorMessage(error)}
      />
    );
  } else if (!value) {
    body = <Typography>Loading live traffic…</Typography>;
  } else if (value.status !== 'ok') {
    body = <NoLiveData status={value.status} reason={value.reason} />;
  } else if (value.services.length === 0) {
    body = <Typography>This entity has no mesh Service to measure.</Typography>;
  } else {
    body = (
      <>
        {value.services.map(service => (
          <ServiceTrafficSection
            key={`${service.namespace}/${service.name}`}
            service={service}
            thresholds={value.thresholds}
            findings={value.findings.filter(
              f =>
                f.resource?.namespace === service.namespace &&
                f.resource?.name === service.name,
            )}
          />
        ))}
        <Typography variant="body2" className={classes.footer}>
          Measured <Timestamp value={value.generatedAt} /> from{' '}
          {value.source?.url} (
          {value.source?.from === 'serviceMesh'
            ? 'the ServiceMesh resource'
            : 'app-config'}
          ), as the client sidecars report it. Differences above{' '}
          {value.thresholds.splitDeviationPoints} points are highlighted; flows
          under {value.thresholds.minRequests} requests are not compared.
        </Typography>
      </>
    );
  }

  return (
    <SectionCard
      title="Live traffic"
      subheader={`Actual split next to the expected one, request rate, 5xx and latency over the last ${trafficWindow}`}
      action={
        <TrafficWindowSelector
          value={trafficWindow}
          onChange={setTrafficWindow}
        />
      }
    >
      {loading && value && (
        <LinearProgress aria-label="Reloading live traffic" />
      )}
      {body}
    </SectionCard>
  );
}
