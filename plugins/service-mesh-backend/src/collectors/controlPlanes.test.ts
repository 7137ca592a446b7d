import { deployment } from '../__testUtils__/objects';
import { mapControlPlanes, versionFromImage } from './controlPlanes';
import { MappingContext } from './objects';

describe('mapControlPlanes', () => {
  it('maps istiod Deployments per revision and ignores other Deployments', () => {
    const ctx = new MappingContext();
    const planes = mapControlPlanes(
      [
        deployment('istiod-1-22', 'istio-system', {
          labels: { app: 'istiod', 'istio.io/rev': '1-22' },
          image: 'registry.example.com/asm/pilot:1.22.4-r1',
          replicas: 2,
          ready: 1,
          env: [{ name: 'CLUSTER_ID', value: 'cluster1' }],
        }),
        deployment('istiod', 'istio-system', {
          labels: { app: 'istiod', 'app.kubernetes.io/version': '1.23.1' },
          image: 'docker.io/istio/pilot@sha256:abc',
        }),
        deployment('product', 'demo', { labels: { app: 'product' } }),
      ],
      ctx,
    );
    expect(planes).toEqual([
      {
        revision: '1-22',
        namespace: 'istio-system',
        deployment: 'istiod-1-22',
        version: '1.22.4-r1',
        desiredReplicas: 2,
        readyReplicas: 1,
        clusterId: 'cluster1',
      },
      {
        revision: 'default',
        namespace: 'istio-system',
        deployment: 'istiod',
        version: '1.23.1',
        desiredReplicas: 1,
        readyReplicas: 1,
      },
    ]);
  });

  it('reads RESOLVE_HOSTNAME_GATEWAYS as istiod parses booleans (strconv.ParseBool; unparsable: the default)', () => {
    const planes = mapControlPlanes(
      ['false', 'True', 'yes'].map((value, i) =>
        deployment(`istiod-${i}`, 'istio-system', {
          labels: { app: 'istiod', 'istio.io/rev': `r${i}` },
          env: [{ name: 'RESOLVE_HOSTNAME_GATEWAYS', value }],
        }),
      ),
      new MappingContext(),
    );
    expect(planes.map(p => p.resolveHostnameGateways)).toEqual([
      false,
      true,
      undefined,
    ]);
  });

  it('records a Deployment with a malformed replica count', () => {
    const ctx = new MappingContext();
    const bad = deployment('istiod', 'istio-system', {
      labels: { app: 'istiod' },
    });
    (bad.status as any).readyReplicas = 'three';
    expect(mapControlPlanes([bad], ctx)).toEqual([]);
    expect(ctx.malformedObjects[0]).toMatchObject({
      kind: 'Deployment',
      name: 'istiod',
      reason: expect.stringContaining('readyReplicas'),
    });
  });

  it('reads versions from image tags', () => {
    expect(versionFromImage('docker.io/istio/pilot:1.22.4')).toBe('1.22.4');
    expect(versionFromImage('docker.io/istio/pilot:1.22.4-distroless')).toBe(
      '1.22.4',
    );
    expect(versionFromImage('localhost:5000/istio/pilot:v1.21.0')).toBe(
      '1.21.0',
    );
    expect(versionFromImage('localhost:5000/istio/pilot')).toBeUndefined();
    expect(versionFromImage('istio/pilot:latest')).toBeUndefined();
  });
});
