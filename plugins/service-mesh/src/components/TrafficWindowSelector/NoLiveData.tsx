import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { MetricsStatus } from '@internal/plugin-service-mesh-common';

export interface NoLiveDataProps {
  status: Exclude<MetricsStatus, 'ok'> | 'failed';
  reason?: string;
}

const WHAT_TO_DO: Record<NoLiveDataProps['status'], string> = {
  unconfigured:
    'Point the plugin at the mesh’s Prometheus or VictoriaMetrics: serviceMesh.metrics.url in app-config, or spec.prometheusURL on the ServiceMesh resources.',
  unreachable:
    'The metrics store did not answer in time. Everything else on this page comes from the clusters and is unaffected.',
  unauthorized:
    'Check serviceMesh.metrics.bearerToken or serviceMesh.metrics.basicAuth in app-config.',
  error: 'The metrics store answered with an error.',
  failed: 'The service-mesh backend could not be asked for live traffic.',
};

/** Why there is no live traffic: an informational state, not an error page. */
export function NoLiveData(props: NoLiveDataProps) {
  return (
    <Alert severity="info" role="status">
      <AlertTitle>No live data</AlertTitle>
      {props.reason && (
        <Typography variant="body2" gutterBottom>
          {props.reason}
        </Typography>
      )}
      <Typography variant="body2">{WHAT_TO_DO[props.status]}</Typography>
    </Alert>
  );
}
