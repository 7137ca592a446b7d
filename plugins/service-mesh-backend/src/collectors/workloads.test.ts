import { deployment, pod } from '../__testUtils__/objects';
import { MappingContext } from './objects';
import {
  deploymentLabels,
  groupWorkloads,
  mapPods,
  podLocality,
  podOwner,
} from './workloads';

const nodes = new Map([
  ['n1', { region: 'region1', zone: 'zone1' }],
  ['n2', { region: 'region1', zone: 'zone2' }],
]);

describe('workloads', () => {
  it('groups pods by owner with sidecar coverage, readiness and localities', () => {
    const ctx = new MappingContext();
    const rs = { kind: 'ReplicaSet', name: 'product-7d9f8b6c5d' };
    const labels = { app: 'product', 'pod-template-hash': '7d9f8b6c5d' };
    const pods = mapPods(
      [
        pod('product-7d9f8b6c5d-a', 'demo', {
          labels,
          owner: rs,
          nodeName: 'n1',
          sidecar: true,
        }),
        pod('product-7d9f8b6c5d-b', 'demo', {
          labels,
          owner: rs,
          nodeName: 'n2',
          nativeSidecar: true,
          ready: false,
        }),
        pod('product-7d9f8b6c5d-c', 'demo', {
          labels: { ...labels, 'sidecar.istio.io/inject': 'false' },
          owner: rs,
          nodeName: 'n2',
        }),
        pod('db-0', 'demo', {
          labels: { app: 'db', 'istio-locality': 'region2.zone9' },
          owner: { kind: 'StatefulSet', name: 'db' },
          sidecar: true,
        }),
        pod('debug', 'demo', { labels: { run: 'debug' } }),
        pod('node-agent-x1', 'demo', {
          labels: { app: 'node-agent', 'controller-revision-hash': 'h1' },
          owner: { kind: 'DaemonSet', name: 'node-agent' },
          hostNetwork: true,
        }),
        pod('node-agent-x2', 'demo', {
          labels: { app: 'node-agent', 'controller-revision-hash': 'h2' },
          owner: { kind: 'DaemonSet', name: 'node-agent' },
          hostNetwork: true,
        }),
        pod('node-agent-x3', 'demo', {
          labels: { app: 'node-agent', 'controller-revision-hash': 'h2' },
          owner: { kind: 'DaemonSet', name: 'node-agent' },
          annotations: { 'sidecar.istio.io/inject': 'false' },
        }),
        pod('job-x', 'demo', {
          owner: { kind: 'Job', name: 'job' },
          phase: 'Succeeded',
        }),
        {
          metadata: { name: 'broken', namespace: 'demo' },
          spec: { containers: 'istio-proxy' },
        },
      ],
      nodes,
      ctx,
    );
    const workloads = groupWorkloads(
      pods,
      deploymentLabels(
        [
          deployment('product', 'demo', {
            labels: { 'backstage.io/kubernetes-id': 'product-service' },
          }),
        ],
        ctx,
      ),
    );
    expect(workloads).toEqual([
      {
        namespace: 'demo',
        name: 'product',
        kind: 'Deployment',
        labels: {
          app: 'product',
          'backstage.io/kubernetes-id': 'product-service',
        },
        pods: 3,
        readyPods: 2,
        podsWithSidecar: 2,
        podsOptedOut: 1,
        uninjected: [
          {
            pods: 1,
            hostNetwork: false,
            injectLabel: 'false',
            labels: { app: 'product', 'sidecar.istio.io/inject': 'false' },
          },
        ],
        localities: [
          { region: 'region1', zone: 'zone1', pods: 1 },
          { region: 'region1', zone: 'zone2', pods: 2 },
        ],
      },
      expect.objectContaining({
        name: 'db',
        kind: 'StatefulSet',
        pods: 1,
        podsWithSidecar: 1,
        localities: [{ region: 'region2', zone: 'zone9', pods: 1 }],
      }),
      expect.objectContaining({
        name: 'debug',
        kind: 'Pod',
        pods: 1,
        podsWithSidecar: 0,
        localities: [{ region: '', zone: '', pods: 1 }],
      }),
      // What the injector decides on, per group of pods without a sidecar (the per-pod hash label left out).
      expect.objectContaining({
        name: 'node-agent',
        kind: 'DaemonSet',
        pods: 3,
        podsOptedOut: 1,
        uninjected: [
          { pods: 2, hostNetwork: true, labels: { app: 'node-agent' } },
          {
            pods: 1,
            hostNetwork: false,
            injectAnnotation: 'false',
            labels: { app: 'node-agent' },
          },
        ],
      }),
    ]);
    expect(ctx.malformedObjects).toEqual([
      {
        kind: 'Pod',
        namespace: 'demo',
        name: 'broken',
        reason: 'spec.containers is not an array',
      },
    ]);
  });

  it('resolves owners and localities', () => {
    expect(
      podOwner('p', { 'pod-template-hash': 'abc' }, [
        { kind: 'ReplicaSet', name: 'web-abc', controller: true },
      ]),
    ).toEqual({ kind: 'Deployment', name: 'web' });
    expect(
      podOwner('p', {}, [{ kind: 'ReplicaSet', name: 'web-abc' }]),
    ).toEqual({ kind: 'ReplicaSet', name: 'web-abc' });
    expect(podLocality({ 'istio-locality': 'r.z.s' })).toEqual({
      region: 'r',
      zone: 'z',
      subzone: 's',
    });
    expect(podLocality({}, { region: 'r1', zone: 'z1' })).toEqual({
      region: 'r1',
      zone: 'z1',
    });
  });
});
