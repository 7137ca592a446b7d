import { customResource } from '../__testUtils__/objects';
import { MappingContext } from './objects';
import { mapServiceMeshes } from './serviceMeshes';

const seedServiceMesh = customResource(
  'asm.alauda.io/v1alpha1',
  'ServiceMesh',
  'cluster1',
  'cpaas-system',
  {
    istioVersion: '1.22.4+202408291030',
    cluster: 'cluster1',
    multiCluster: { enabled: true, isMultiNetwork: true, istioNetwork: '' },
    redis: {
      address: 'redis:26379',
      authType: 'basic',
      kind: 'sentinel',
      password: 'demo-redis-PASSWORD-do-not-leak',
    },
    monitorType: 'victoriametrics',
    prometheusURL: 'https://vm-user:vm-pass@victoria.example.com',
  },
  {
    labels: {
      'asm.cpaas.io/meshgroup': 'mesh-demo',
      'asm.cpaas.io/cluster': 'cluster1',
    },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration':
        '{"spec":{"redis":{"password":"demo-redis-PASSWORD-do-not-leak"}}}',
    },
    status: {
      phase: 'Deployed',
      synthesisPhase: 'Deployed',
      version: 'v4.0.20',
      desiredVersion: 'v4.0.20',
    },
  },
);

describe('mapServiceMeshes', () => {
  it('maps the demo ServiceMesh and redacts its secrets', () => {
    const ctx = new MappingContext();
    const [mesh] = mapServiceMeshes([seedServiceMesh], ctx);
    expect(mesh).toMatchObject({
      name: 'cluster1',
      namespace: 'cpaas-system',
      cluster: 'cluster1',
      meshGroup: 'mesh-demo',
      istioVersion: '1.22.4+202408291030',
      multiCluster: { enabled: true, isMultiNetwork: true },
      monitorType: 'victoriametrics',
      phase: 'Deployed',
      synthesisPhase: 'Deployed',
      version: 'v4.0.20',
      desiredVersion: 'v4.0.20',
    });
    expect(mesh.multiCluster?.istioNetwork).toBeUndefined();
    expect((mesh.spec.redis as Record<string, unknown>).password).toBe(
      'REDACTED',
    );
    expect(mesh.prometheusURL).toBe('https://REDACTED@victoria.example.com');
    expect(JSON.stringify(mesh)).not.toMatch(
      /demo-redis-PASSWORD-do-not-leak|vm-pass/,
    );
    expect(ctx.malformedObjects).toEqual([]);
  });

  it('falls back to the name for the cluster and skips malformed resources', () => {
    const ctx = new MappingContext();
    const meshes = mapServiceMeshes(
      [
        customResource(
          'asm.alauda.io/v1alpha1',
          'ServiceMesh',
          'cluster2',
          'cpaas-system',
          {},
        ),
        {
          metadata: { name: 'bad', namespace: 'cpaas-system' },
          spec: 'not-an-object',
        },
        { spec: {} },
      ],
      ctx,
    );
    expect(meshes.map(m => m.cluster)).toEqual(['cluster2']);
    expect(ctx.malformedObjects).toEqual([
      {
        kind: 'ServiceMesh',
        namespace: 'cpaas-system',
        name: 'bad',
        reason: 'spec is not an object',
      },
      { kind: 'ServiceMesh', reason: 'metadata is missing' },
    ]);
  });
});
