/*
 * Alauda `ServiceMesh` resources (asm.alauda.io/v1alpha1), one per business cluster, held by the management
 * cluster. The spec carries credentials (e.g. `spec.redis.password`), so it is redacted here, before anything
 * else sees it.
 */
import {
  LABELS,
  ServiceMeshResource,
} from '@internal/plugin-service-mesh-common';
import {
  compact,
  mapEach,
  MappingContext,
  optionalRecord,
  optionalString,
} from './objects';
import { redactSecrets } from './redact';

export function mapServiceMeshes(
  items: unknown[],
  ctx: MappingContext,
): ServiceMeshResource[] {
  return mapEach(items, 'ServiceMesh', ctx, (obj, meta) => {
    const spec = optionalRecord(obj.spec, 'spec') ?? {};
    const status = optionalRecord(obj.status, 'status') ?? {};
    const multiCluster = optionalRecord(spec.multiCluster, 'spec.multiCluster');
    const field = (key: string) =>
      optionalString(status[key], `status.${key}`) ??
      optionalString(spec[key], `spec.${key}`);
    const prometheusURL = optionalString(
      spec.prometheusURL,
      'spec.prometheusURL',
    );

    const resource: ServiceMeshResource = {
      name: meta.name,
      namespace: meta.namespace ?? '',
      cluster:
        optionalString(spec.cluster, 'spec.cluster') ??
        meta.labels['asm.cpaas.io/cluster'] ??
        meta.name,
      meshGroup: meta.labels[LABELS.meshGroup],
      istioVersion: optionalString(spec.istioVersion, 'spec.istioVersion'),
      multiCluster: multiCluster
        ? {
            enabled: multiCluster.enabled === true,
            isMultiNetwork: multiCluster.isMultiNetwork === true,
            istioNetwork:
              optionalString(
                multiCluster.istioNetwork,
                'spec.multiCluster.istioNetwork',
              ) || undefined,
          }
        : undefined,
      monitorType: optionalString(spec.monitorType, 'spec.monitorType'),
      prometheusURL:
        prometheusURL !== undefined ? redactSecrets(prometheusURL) : undefined,
      phase: field('phase'),
      synthesisPhase: field('synthesisPhase'),
      state: field('state'),
      version: field('version'),
      desiredVersion: field('desiredVersion'),
      spec: redactSecrets(spec),
    };
    return compact(resource);
  });
}
