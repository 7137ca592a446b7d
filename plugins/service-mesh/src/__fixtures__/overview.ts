/*
 * The demo mesh as the backend reports it. demo/overview.json is generated from the kube-sim demo scenario by the
 * backend (plugins/service-mesh-backend/src/__integration__/demoFixtures.integration.test.ts, `yarn
 * generate:fixtures`): management cluster `global`; members cluster1 (us-east-1a, network1), cluster2 (us-east-1b,
 * network2) and cluster3 (eu-west-1a/b, network3, upgrading, east-west gateway without an external address).
 * The states the UI must also show are derived from it below, each saying what it changes.
 */
import type {
  ClusterMeshStatus,
  Finding,
  OverviewResponse,
} from '@internal/plugin-service-mesh-common';
import generated from './demo/overview.json';

const demo = generated as unknown as OverviewResponse;

function demoCluster(name: string): ClusterMeshStatus {
  const cluster = demo.clusters.find(c => c.name === name);
  if (!cluster) throw new Error(`the demo overview has no cluster ${name}`);
  return cluster;
}

/** When the demo was read (every timestamp of the generated fixtures). */
export const DEMO_READ_AT = demo.generatedAt;

export const ROOT_CA_FINGERPRINT = demoCluster('cluster1').rootCA!.fingerprint;
/** Another root, for the mismatch state (MESH020). */
export const OTHER_CA_FINGERPRINT =
  '91:0C:7E:44:B2:58:1D:A3:6F:E0:29:C4:73:8B:15:DA:40:9E:6C:F2:03:B7:58:21:AE:94:6D:1F:C8:37:52:E6';

export const globalCluster = demoCluster('global');
export const cluster1 = demoCluster('cluster1');
/** Stale: its API server stopped answering (kube-sim fault `down`) 18 minutes after its last good read. */
export const cluster2: ClusterMeshStatus = {
  ...demoCluster('cluster2'),
  status: 'stale',
  error: {
    code: 'MESH090',
    message: 'connect ECONNREFUSED 127.0.0.1:6444',
  },
  lastSyncedAt: '2026-05-31T23:42:00.000Z',
};
export const cluster3 = demoCluster('cluster3');

export const demoFindings: Finding[] = demo.findings;

export const demoOverview: OverviewResponse = {
  ...demo,
  clusters: [globalCluster, cluster1, cluster2, cluster3],
};

/** The demo mesh with cluster3 on a different root CA (MESH020). */
export const caMismatchOverview: OverviewResponse = {
  ...demoOverview,
  clusters: [
    globalCluster,
    cluster1,
    cluster2,
    {
      ...cluster3,
      rootCA: {
        fingerprint: OTHER_CA_FINGERPRINT,
        notAfter: '2026-06-15T00:00:00.000Z',
        subject: 'O=cluster3, CN=Root CA',
      },
    },
  ],
};

export const emptyOverview: OverviewResponse = {
  generatedAt: DEMO_READ_AT,
  multiNetwork: false,
  clusters: [],
  reachability: { clusters: [], multiNetwork: false, pairs: [], networks: [] },
  findings: [],
};
