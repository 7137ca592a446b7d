import { ALL_FINDING_CODES } from '../findings/registry';
import {
  edit,
  editAll,
  healthyMesh,
  NOW,
  policy,
} from '../__testUtils__/fixtures';
import { codesOf, expectFinding } from '../__testUtils__/findings';
import {
  analyzeMesh,
  type CheckFailure,
  MESH_CHECKS,
  runMeshAnalysis,
} from './analyzeMesh';
import { defineCheck } from './check';
import { makeFinding } from './finding';

describe('analyzeMesh', () => {
  it('reports nothing for a healthy multi-primary, multi-network mesh', () => {
    expect(analyzeMesh(healthyMesh(), { now: NOW })).toEqual([]);
  });

  it('returns sorted findings (severity, code, id) with unique URL-safe ids', () => {
    let snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.remoteSecrets = [];
      d.nodes.unlabelled = ['n1'];
      d.nodes.unlabelledCount = 1;
    });
    snapshot = edit(snapshot, 'cluster3', d => {
      d.eastWestGateways[0].addresses = [];
    });
    const findings = analyzeMesh(snapshot, { now: NOW });
    expect(findings.map(f => f.code)).toEqual([
      'MESH010',
      'MESH010',
      'MESH032',
      'MESH040',
    ]);
    expect(findings.map(f => f.severity)).toEqual([
      'error',
      'error',
      'error',
      'warning',
    ]);
    expect(findings[0].id).toBe(
      'MESH010-cluster1-cluster2-secret-istio-system-istio-remote-secret-cluster1',
    );
    for (const f of findings) {
      expect(f.id).toMatch(/^[A-Za-z0-9-]+$/);
      expect(ALL_FINDING_CODES).toContain(f.code);
      expect(f.hint.length).toBeGreaterThan(10);
    }
    expect(new Set(findings.map(f => f.id)).size).toBe(findings.length);
    // Deterministic: same input, same output.
    expect(analyzeMesh(snapshot, { now: NOW })).toEqual(findings);
  });
});

describe('the check runner', () => {
  const forbidden = (resource: string) => ({
    code: 'MESH092' as const,
    message: `${resource} is forbidden`,
    resource,
  });

  it('treats a primary whose Deployments could not be read as unknown, not as a remote', () => {
    // Only deployments forbidden: the collectors yield no control planes, which used to read as "a remote that
    // needs no remote secrets". Now the checks that need control planes skip cluster2 and say so.
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.controlPlanes = [];
      d.remoteSecrets = [];
      d.partialErrors = [forbidden('deployments.apps')];
    });
    const analysis = runMeshAnalysis(snapshot, { now: NOW });
    expect(analysis.findings.map(f => f.code)).toEqual(['MESH092', 'MESH098']);
    expect(
      analysis.skipped
        .filter(s => s.cluster === 'cluster2')
        .map(s => s.check)
        .sort(),
    ).toEqual([
      'clusterIds',
      'crossNetworkGateway',
      'dataPlaneVersions',
      'eastWestGateways',
      'istiodReady',
      'istiodRemoteClusters',
      'networkLabels',
      'remoteSecrets',
      'revisions',
      'sidecars',
      'versions',
    ]);
    const [skipped] = expectFinding(analysis.findings, 'MESH098');
    expect(skipped).toMatchObject({
      severity: 'info',
      clusters: ['cluster2'],
      id: 'MESH098-cluster2',
    });
    expect(skipped.message).toMatch(
      /^In cluster2, deployments could not be read, so 11 checks did not run there: .*remoteSecrets \(MESH010, MESH011\)/,
    );
    // With the Deployments readable, the same missing secrets are reported.
    const readable = edit(healthyMesh(), 'cluster2', d => {
      d.remoteSecrets = [];
    });
    expect(codesOf(readable)).toEqual(['MESH010', 'MESH010']);
  });

  it('does not run a check that needs every cluster while one cluster cannot be read', () => {
    let snapshot = editAll(healthyMesh(), d => {
      d.destinationRules = [
        policy('DestinationRule', 'istio-system', 'typo', {
          host: '*.cluster.local',
          trafficPolicy: {
            loadBalancer: {
              localityLbSetting: {
                failover: [{ from: 'region1', to: 'regoin9' }],
              },
            },
            outlierDetection: {
              consecutive5xxErrors: 1,
              maxEjectionPercent: 100,
            },
          },
        }),
      ];
    });
    expect(codesOf(snapshot)).toEqual(['MESH042']);
    snapshot = edit(snapshot, 'cluster3', d => {
      d.partialErrors = [forbidden('nodes')];
    });
    const analysis = runMeshAnalysis(snapshot, { now: NOW });
    expect(analysis.findings.map(f => f.code)).toEqual(['MESH092', 'MESH098']);
    expect(analysis.skipped).toEqual([
      {
        check: 'nodeLabels',
        cluster: 'cluster3',
        inputs: ['nodes'],
        codes: ['MESH040'],
        wholeMesh: false,
      },
      {
        check: 'localityNames',
        cluster: 'cluster3',
        inputs: ['nodes'],
        codes: ['MESH042'],
        wholeMesh: true,
      },
    ]);
    expect(
      analysis.findings.find(f => f.code === 'MESH098')!.message,
    ).toContain(
      'localityNames (MESH042; needs every cluster, so not run at all)',
    );
  });

  it('reports a crashed check as MESH099 and to onCheckError, and still runs the others', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.remoteSecrets = [];
    });
    const rootCa = MESH_CHECKS.find(c => c.name === 'rootCa')!;
    const spy = jest.spyOn(rootCa, 'run').mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    try {
      const failures: CheckFailure[] = [];
      const findings = analyzeMesh(snapshot, {
        now: NOW,
        onCheckError: f => failures.push(f),
      });
      expect(findings.map(f => f.code)).toEqual([
        'MESH010',
        'MESH010',
        'MESH099',
      ]);
      expect(expectFinding(findings, 'MESH099')[0]).toMatchObject({
        id: 'MESH099-rootca',
        severity: 'warning',
        clusters: [],
        message:
          "The check rootCa failed on this snapshot: Cannot read properties of undefined (reading 'x'). The problems it looks for (MESH020, MESH021) are not reported.",
      });
      expect(failures).toHaveLength(1);
      expect(failures[0].check).toBe('rootCa');
      expect(failures[0].error).toBeInstanceOf(TypeError);
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps the findings when the logger itself throws', () => {
    const rootCa = MESH_CHECKS.find(c => c.name === 'rootCa')!;
    const spy = jest.spyOn(rootCa, 'run').mockImplementation(() => {
      // A thrown non-Error (e.g. from a library) is reported as well.
      // eslint-disable-next-line no-throw-literal
      throw 'not an Error';
    });
    try {
      const findings = analyzeMesh(healthyMesh(), {
        now: NOW,
        onCheckError: () => {
          throw new Error('logger down');
        },
      });
      expect(findings.map(f => f.code)).toEqual(['MESH099']);
      expect(findings[0].message).toContain(
        'failed on this snapshot: not an Error.',
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('reports a check that emits a code it does not declare', () => {
    const rogue = defineCheck({
      name: 'rogue',
      inputs: [],
      codes: ['MESH003'],
      run: () => [
        makeFinding({ code: 'MESH004', message: 'x', clusters: [], hint: 'y' }),
      ],
    });
    const analysis = runMeshAnalysis(healthyMesh(), { now: NOW }, [rogue]);
    expect(analysis.findings.map(f => f.code)).toEqual(['MESH004', 'MESH099']);
    expect(analysis.failures[0].error.message).toBe(
      'reported MESH004, which it does not declare',
    );
  });
});
