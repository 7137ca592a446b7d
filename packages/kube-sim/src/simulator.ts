// Starts every cluster of a scenario and gives the programmatic handle (stats, log, faults, stop), plus the
// app-config fragment and kubeconfig that point clients at it.
import { selfSignedCert } from './cert.ts';
import { FakeCloud } from './cloud.ts';
import type { ClusterAuth } from './auth.ts';
import { applyChange, parseChange } from './changes.ts';
import { loadCluster, readScenario } from './scenario.ts';
import { ClusterServer } from './server.ts';
import { ClusterStore } from './store.ts';
import type {
  ClusterFaults,
  LoadWarning,
  RunningSimulator,
  SimulatorCluster,
  StartSimulatorOptions,
} from './types.ts';

export interface SimulatorInternals {
  servers: ClusterServer[];
}

const internals = new WeakMap<RunningSimulator, SimulatorInternals>();

/** The cluster servers behind a simulator (for the CLI). */
export function simulatorInternals(sim: RunningSimulator): SimulatorInternals {
  const found = internals.get(sim);
  if (!found) throw new Error('not a simulator started by startSimulator()');
  return found;
}

export async function startSimulator(
  options: StartSimulatorOptions,
): Promise<RunningSimulator> {
  const scenario = await readScenario(options.scenarioDir);
  const host = options.host ?? '127.0.0.1';
  const warnings: LoadWarning[] = [];
  const servers: ClusterServer[] = [];
  const tls = selfSignedCert(host);
  const caData = Buffer.from(tls.certPem).toString('base64');
  const cloud = new FakeCloud(scenario.cloud, host, () =>
    scenario.clusters.flatMap(spec =>
      spec.gke
        ? [
            {
              name: spec.name,
              ...spec.gke,
              endpoint: `${host}:${
                servers.find(s => s.name === spec.name)!.port
              }`,
              caData,
            },
          ]
        : [],
    ),
  );
  for (const [i, spec] of scenario.clusters.entries()) {
    const store = new ClusterStore(spec.name);
    await loadCluster(scenario, spec, store, warnings);
    // Ports by cluster name (a restart on the ports of the one before) win; the scenario's own ports only when
    // asked for (the CLI): tests start the same scenario in parallel.
    let port = options.scenarioPorts ? spec.port ?? 0 : 0;
    if (options.port) port = options.port + i;
    if (options.ports?.[spec.name]) port = options.ports[spec.name];
    servers.push(
      new ClusterServer({
        name: spec.name,
        token: spec.token,
        user: spec.user,
        host,
        port,
        faults: spec.faults,
        store,
        tls,
        auth: spec.auth,
        authority: cloud,
      }),
    );
  }
  try {
    for (const server of servers) await server.start();
    await cloud.start();
  } catch (e) {
    await Promise.all([...servers.map(s => s.close()), cloud.close()]);
    throw e;
  }
  const byName = new Map(servers.map(s => [s.name, s]));
  const server = (name: string) => {
    const found = byName.get(name);
    if (!found)
      throw new Error(
        `no cluster named ${name} (clusters: ${[...byName.keys()].join(', ')})`,
      );
    return found;
  };
  const clusters: SimulatorCluster[] = scenario.clusters.map(spec => ({
    name: spec.name,
    url: server(spec.name).url,
    httpsUrl: server(spec.name).httpsUrl,
    token: spec.token,
    caData,
    skipTLSVerify: true,
    // A catalog entity names the scenario's port: located from the catalog only when served there.
    ...(spec.locator === 'catalog' &&
    spec.port &&
    server(spec.name).port === spec.port
      ? { locator: 'catalog' as const }
      : {}),
    ...(spec.region ? { region: spec.region } : {}),
    ...(spec.network ? { network: spec.network } : {}),
  }));
  const sim: RunningSimulator = {
    clusters,
    managementCluster: scenario.managementCluster,
    warnings,
    requestCount: cluster =>
      (cluster ? [server(cluster)] : servers).reduce(
        (n, s) => n + s.requestStats().requests,
        0,
      ),
    requestStats: cluster => server(cluster).requestStats(),
    resetRequestCounts: () => servers.forEach(s => s.resetStats()),
    requestLog: cluster => server(cluster).requestLog(),
    faults: cluster => server(cluster).faults(),
    setFaults: (cluster: string, faults: ClusterFaults) =>
      server(cluster).setFaults(faults),
    auth: cluster => server(cluster).auth(),
    setAuth: (cluster: string, auth: ClusterAuth) =>
      server(cluster).setAuth(auth),
    cloud: {
      url: cloud.url,
      environment: () => cloud.environment(),
      issuedTokens: () => cloud.issuedTokens(),
      setTokenLifetime: seconds => cloud.setTokenLifetime(seconds),
      requestLog: () => cloud.log.map(e => ({ ...e })),
    },
    change: (cluster, change) =>
      applyChange(server(cluster).store, parseChange({ args: [], ...change })),
    compact: cluster => server(cluster).store.compact(),
    dropWatches: cluster => server(cluster).dropWatches(),
    openWatches: cluster => server(cluster).openWatches,
    stop: async () => {
      await Promise.all([...servers.map(s => s.close()), cloud.close()]);
    },
  };
  internals.set(sim, { servers });
  return sim;
}

/**
 * The app-config fragment that points Backstage's Kubernetes plugin (and the service-mesh backend, which reads
 * the same clusters) at the simulator.
 */
export function appConfigFragment(sim: RunningSimulator): object {
  const fromCatalog = sim.clusters.some(c => c.locator === 'catalog');
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: sim.clusters
            .filter(c => c.locator !== 'catalog')
            .map(c => ({
              name: c.name,
              url: c.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: c.token,
              skipTLSVerify: true,
              skipMetricsLookup: true,
            })),
        },
        // Resource entities of the catalog (examples/clusters.yaml) name these clusters' loopback URLs.
        ...(fromCatalog
          ? [
              {
                type: 'catalog',
                // loopback http:// URLs: demo only (the locator refuses private addresses and plain HTTP)
                dangerouslyAllowClusterUrls: ['127.0.0.1'],
                dangerouslyAllowSkipTLSVerify: true,
              },
            ]
          : []),
      ],
    },
    ...(sim.managementCluster
      ? { serviceMesh: { managementCluster: sim.managementCluster } }
      : {}),
  };
}

/** A kubeconfig with one context per cluster (context, cluster and user all named as the cluster), over HTTPS. */
export function kubeconfig(sim: RunningSimulator): object {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': sim.managementCluster ?? sim.clusters[0]?.name ?? '',
    // https: kubectl sends tokens only over TLS (the same port answers both)
    clusters: sim.clusters.map(c => ({
      name: c.name,
      cluster: c.caData
        ? {
            server: c.httpsUrl ?? c.url.replace(/^http:/, 'https:'),
            'certificate-authority-data': c.caData,
          }
        : { server: c.url },
    })),
    users: sim.clusters.map(c => ({ name: c.name, user: { token: c.token } })),
    contexts: sim.clusters.map(c => ({
      name: c.name,
      context: { cluster: c.name, user: c.name },
    })),
  };
}
