/*
 * `yarn start` in this package: the service-mesh backend plugin alone on :7007 (backend.listen in app-config.yaml)
 * against kube-sim's demo mesh, with mock auth, permissions and catalog for local development (see README, Develop).
 *
 *   SERVICE_MESH_DEV_SCENARIO=<name or dir>  another kube-sim scenario (default: demo)
 *   SERVICE_MESH_DEV_KUBE_SIM=off            no kube-sim: use the clusters of your own app-config
 *   SERVICE_MESH_DEV_PERMISSION=deny         every permission denied (the UI's permission-required states)
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  demoEntities,
  devFeatures,
  kubeSimEnv,
  startDevKubeSim,
} from './devBackend';

async function main() {
  if (process.env.SERVICE_MESH_DEV_KUBE_SIM !== 'off') {
    const sim = await startDevKubeSim(process.env.SERVICE_MESH_DEV_SCENARIO);
    // Set before backend.start(), which is when the root config service reads the environment.
    Object.assign(process.env, kubeSimEnv(sim));
    for (const c of sim.clusters)
      process.stdout.write(`kube-sim: ${c.name.padEnd(10)} ${c.url}\n`);
    // kube-sim runs in this process: it ends with the backend (which exits on SIGINT/SIGTERM).
  }
  const backend = createBackend();
  for (const feature of devFeatures({
    entities: demoEntities(),
    permission:
      process.env.SERVICE_MESH_DEV_PERMISSION === 'deny' ? 'deny' : 'allow',
  }))
    backend.add(feature);
  backend.add(import('../src'));
  await backend.start();
}

main().catch(error => {
  process.stderr.write(`service-mesh dev backend failed: ${error.stack}\n`);
  process.exit(1);
});
