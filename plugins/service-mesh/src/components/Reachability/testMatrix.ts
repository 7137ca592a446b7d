/* Synthetic reachability matrices for the component tests (any number of clusters and networks). */
import type {
  ClusterPairReachability,
  ReachabilityMatrix,
} from '@internal/plugin-service-mesh-common';

const YES = { state: 'yes' as const, reasons: [], notes: [] };

/**
 * `clusters` clusters spread round-robin over `networks` networks; every pair reachable except those into
 * `cutOff` (a network whose gateway has no address, MESH032).
 */
export function syntheticMatrix(
  clusters: number,
  networks: number,
  cutOff?: string,
): ReachabilityMatrix {
  const names = Array.from({ length: clusters }, (_, i) => `cluster-${i + 1}`);
  const networkOf = (i: number) => `network-${(i % networks) + 1}`;
  const pairs: ClusterPairReachability[] = [];
  names.forEach((from, i) =>
    names.forEach((to, j) => {
      const blocked =
        from !== to && networkOf(j) === cutOff && networkOf(i) !== cutOff;
      pairs.push({
        from,
        to,
        discovered: YES,
        routable: blocked
          ? {
              state: 'no',
              via: 'pod-ip',
              gateways: [],
              notes: [],
              reasons: [
                {
                  code: 'MESH032',
                  findingId: `MESH032-${to}`,
                  summary: 'no gateway address',
                },
              ],
            }
          : {
              ...YES,
              via: networkOf(i) === networkOf(j) ? 'direct' : 'gateway',
              gateways: [],
            },
        trusted: YES,
        outcome: blocked ? 'fails' : 'reachable',
      });
    }),
  );
  return {
    clusters: names,
    multiNetwork: networks > 1,
    pairs,
    networks: Array.from({ length: networks }, (_, n) => {
      const network = `network-${n + 1}`;
      const members = names.filter((_name, i) => networkOf(i) === network);
      return {
        network,
        clusters: members,
        gateways:
          networks > 1
            ? [
                {
                  cluster: members[0],
                  name: 'istio-system/istio-eastwestgateway',
                  addresses: network === cutOff ? [] : [`192.0.2.${n + 1}`],
                  port: 15443,
                  published: network !== cutOff,
                  ready: true,
                  passthrough: true,
                  problems: network === cutOff ? ['MESH032'] : [],
                },
              ]
            : [],
      };
    }),
  };
}
