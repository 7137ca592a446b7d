// The simulated clusters of one benchmark scenario, in a process of their own (so the simulator's CPU and heap
// are not measured as the backend's). Started by lib/procs.mjs over IPC: it answers { id, op, args } messages
// with { id, result } or { id, error }. Runs on plain Node 24 (type stripping loads kube-sim's sources).
import {
  appConfigFragment,
  startSimulator,
} from '../../packages/kube-sim/src/index.ts';

const scenarioDir = process.argv[2];
if (!scenarioDir) {
  console.error('usage: node test/bench/sim.mjs SCENARIO_DIR');
  process.exit(2);
}

const started = Date.now();
const sim = await startSimulator({ scenarioDir, port: 0 });

const ops = {
  clusters: () => sim.clusters,
  fragment: () => appConfigFragment(sim),
  stats: cluster => (cluster ? sim.requestStats(cluster) : allStats()),
  reset: () => sim.resetRequestCounts(),
  faults: (cluster, faults) => sim.setFaults(cluster, faults),
  change: (cluster, change) => sim.change(cluster, change),
  memory: () => process.memoryUsage(),
  stop: async () => {
    await sim.stop();
    setImmediate(() => process.exit(0));
  },
};

function allStats() {
  return Object.fromEntries(
    sim.clusters.map(c => [c.name, sim.requestStats(c.name)]),
  );
}

process.on('message', async ({ id, op, args = [] }) => {
  try {
    const result = await ops[op](...args);
    process.send({ id, result: result ?? null });
  } catch (e) {
    process.send({ id, error: String(e?.stack ?? e) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({
  ready: true,
  loadMs: Date.now() - started,
  warnings: sim.warnings.length,
});
