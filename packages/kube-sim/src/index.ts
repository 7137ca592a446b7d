// Kubernetes API simulator: many clusters on loopback ports, served from a scenario folder of Kubernetes YAML,
// with per-cluster faults, request statistics and a scenario generator. See ../README.md.
export type {
  ClusterAuth,
  CloudSpec,
  IssuedToken,
  SimulatorCloud,
  ClusterFaults,
  IstiodFaults,
  GenerateScenarioOptions,
  LoadWarning,
  RequestLogEntry,
  RequestStats,
  RunningSimulator,
  SimulatorChange,
  SimulatorChangeResult,
  SimulatorCluster,
  StartSimulatorOptions,
  WatchFaults,
} from './types.ts';
export { appConfigFragment, kubeconfig, startSimulator } from './simulator.ts';
export { generateScenario } from './generate.ts';
export { defaultToken } from './scenario.ts';
