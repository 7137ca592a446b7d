/*
 * A Service's traffic distribution as istiod resolves it, and the locality setting istiod derives from it when
 * no DestinationRule sets localityLbSetting. Istio: pilot/pkg/model/service.go GetTrafficDistribution (called by
 * pilot/pkg/serviceregistry/kube/conversion.go ConvertService) and
 * pilot/pkg/networking/core/loadbalancer/loadbalancer.go GetEffectiveLbSetting.
 */
import { LABELS } from '../constants';

/** Istio's `networking.istio.io/traffic-distribution` annotation (Service, else the Service's Namespace). */
export const TRAFFIC_DISTRIBUTION_ANNOTATION =
  'networking.istio.io/traffic-distribution';

/** model.TrafficDistribution other than Any (PreferClose is PreferSameZone). */
export type TrafficDistribution = 'PreferSameZone' | 'PreferSameNode';

function fromSpec(value: string): TrafficDistribution | undefined {
  // The spec field is compared case-sensitively (corev1 constants), and an unknown value falls through.
  if (value === 'PreferClose' || value === 'PreferSameZone')
    return 'PreferSameZone';
  if (value === 'PreferSameNode') return 'PreferSameNode';
  return undefined;
}

/** An annotation is compared lower-cased; a set but unknown value means Any and stops the lookup. */
function fromAnnotation(
  value: string,
): TrafficDistribution | 'Any' | undefined {
  const v = value.toLowerCase();
  if (v === '') return undefined;
  if (v === 'preferclose' || v === 'prefersamezone') return 'PreferSameZone';
  if (v === 'prefersamenode') return 'PreferSameNode';
  return 'Any';
}

/**
 * GetTrafficDistribution: `spec.trafficDistribution` first, then the Service's annotation, then its Namespace's;
 * undefined is TrafficDistributionAny.
 */
export function resolveTrafficDistribution(
  spec: string | undefined,
  serviceAnnotation: string | undefined,
  namespaceAnnotation: string | undefined,
): TrafficDistribution | undefined {
  const bySpec = spec === undefined ? undefined : fromSpec(spec);
  if (bySpec) return bySpec;
  for (const annotation of [serviceAnnotation, namespaceAnnotation]) {
    const found = fromAnnotation(annotation ?? '');
    if (found) return found === 'Any' ? undefined : found;
  }
  return undefined;
}

/**
 * GetEffectiveLbSetting for a traffic distribution: failoverPriority network, region, zone (PreferSameNode adds
 * subzone and kubernetes.io/hostname), with failover forced on (no outlierDetection needed: istiod sends
 * unhealthy endpoints instead, model.Service.ForcesSupportUnhealthyEndpoints).
 */
export function trafficDistributionPriority(td: TrafficDistribution): string[] {
  const zone = [LABELS.network, LABELS.region, LABELS.zone];
  return td === 'PreferSameZone'
    ? zone
    : [...zone, LABELS.subzone, 'kubernetes.io/hostname'];
}
