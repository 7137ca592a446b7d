/*
 * Envoy's priority-level load math (source/common/upstream/load_balancer_impl.cc), with the default
 * overprovisioning factor 1.4 (Istio never changes it) and host-count based health (weighted_priority_health off).
 * Integer arithmetic as in Envoy, so the percentages match what Envoy computes.
 */

export const OVERPROVISIONING_FACTOR = 140;

/** health(P) = min(100, 140 × healthy / total), integer. */
export function priorityHealth(healthy: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((OVERPROVISIONING_FACTOR * healthy) / total));
}

/**
 * Percent of requests per priority level. Each level gets min(what is left, health × 100 / NTH) where
 * NTH = min(100, Σ health); rounding leftovers go to the first level with any health. When NTH is 0 (panic is
 * off, as Istio sets it with outlierDetection) Envoy assigns everything to P0.
 */
export function priorityLoads(health: number[]): number[] {
  const loads = health.map(() => 0);
  if (health.length === 0) return loads;
  const nth = Math.min(
    100,
    health.reduce((s, h) => s + h, 0),
  );
  if (nth === 0) {
    loads[0] = 100;
    return loads;
  }
  let remaining = 100;
  let firstAvailable = -1;
  for (let i = 0; i < health.length; i++) {
    if (firstAvailable < 0 && health[i] > 0) firstAvailable = i;
    loads[i] = Math.min(remaining, Math.floor((health[i] * 100) / nth));
    remaining -= loads[i];
  }
  if (remaining > 0 && firstAvailable >= 0) loads[firstAvailable] += remaining;
  return loads;
}

/**
 * Effective weight of a locality under locality-weighted load balancing: its weight × availability, where
 * availability = min(1, 1.4 × healthy / total) (Envoy's effective locality weight; continuous, not rounded).
 */
export function effectiveLocalityWeight(
  weight: number,
  healthy: number,
  total: number,
): number {
  if (total <= 0 || weight <= 0) return 0;
  return (
    weight * Math.min(1, (OVERPROVISIONING_FACTOR / 100) * (healthy / total))
  );
}
