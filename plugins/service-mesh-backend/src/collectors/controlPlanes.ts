/*
 * Upstream Istio control planes: istiod Deployments (label app=istiod), one per revision. Works the same for a
 * plain upstream install and for Alauda's (which names the Deployment istiod-<rev>).
 */
import { ControlPlane, LABELS } from '@internal/plugin-service-mesh-common';
import {
  compact,
  isRecord,
  mapEach,
  MappingContext,
  optionalArray,
  optionalCount,
  optionalRecord,
} from './objects';

const VERSION_LABELS = [
  'operator.istio.io/version',
  'app.kubernetes.io/version',
  'istio.io/version',
];

export function mapControlPlanes(
  deployments: unknown[],
  ctx: MappingContext,
): ControlPlane[] {
  return mapEach(deployments, 'Deployment', ctx, (obj, meta) => {
    if (meta.labels.app !== 'istiod') return undefined;
    const spec = optionalRecord(obj.spec, 'spec') ?? {};
    const status = optionalRecord(obj.status, 'status') ?? {};
    const template = optionalRecord(spec.template, 'spec.template') ?? {};
    const podSpec = optionalRecord(template.spec, 'spec.template.spec') ?? {};
    const containers = optionalArray(
      podSpec.containers,
      'spec.template.spec.containers',
    ).filter(isRecord);
    const discovery =
      containers.find(c => c.name === 'discovery') ?? containers[0];
    const env = discovery
      ? optionalArray(discovery.env, 'env').filter(isRecord)
      : [];
    const clusterId = env.find(e => e.name === 'CLUSTER_ID')?.value;
    const resolveHostnames = parseBool(
      env.find(e => e.name === 'RESOLVE_HOSTNAME_GATEWAYS')?.value,
    );

    return compact<ControlPlane>({
      revision: meta.labels[LABELS.revision] || 'default',
      namespace: meta.namespace ?? '',
      deployment: meta.name,
      version:
        versionFromImage(
          typeof discovery?.image === 'string' ? discovery.image : undefined,
        ) ?? VERSION_LABELS.map(l => meta.labels[l]).find(Boolean),
      desiredReplicas: optionalCount(spec.replicas, 'spec.replicas', 1),
      readyReplicas: optionalCount(
        status.readyReplicas,
        'status.readyReplicas',
        0,
      ),
      clusterId:
        typeof clusterId === 'string' && clusterId ? clusterId : undefined,
      resolveHostnameGateways: resolveHostnames,
    });
  });
}

/** strconv.ParseBool, as istiod's env.Register reads booleans; anything else keeps the default (undefined). */
function parseBool(value: unknown): boolean | undefined {
  if (typeof value !== 'string') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** `docker.io/istio/pilot:1.22.4-distroless` → `1.22.4`; digests and non-version tags give undefined. */
export function versionFromImage(
  image: string | undefined,
): string | undefined {
  if (!image) return undefined;
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon < 0) return undefined;
  const tag = withoutDigest.slice(colon + 1).replace(/^v(?=\d)/, '');
  const match = /^(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(tag);
  if (!match) return undefined;
  return match[1].replace(/-(distroless|debug)$/, '');
}
