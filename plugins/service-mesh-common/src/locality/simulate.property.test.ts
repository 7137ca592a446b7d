import fc from 'fast-check';
import { simulateLocality } from './simulate';
import type { ReachabilityReason } from '../types/reachability';
import type {
  SimEndpointGroup,
  SimTrafficPolicy,
  SimulationInput,
} from './types';

const REGIONS = ['r1', 'r2', 'r3'];
const ZONES = ['a', 'b'];

const endpointArb: fc.Arbitrary<SimEndpointGroup> = fc.record({
  cluster: fc.constantFrom('c1', 'c2', 'c3'),
  network: fc.option(fc.constantFrom('n1', 'n2'), { nil: undefined }),
  locality: fc.record({
    region: fc.constantFrom(...REGIONS),
    zone: fc.constantFrom(...ZONES),
  }),
  healthy: fc.integer({ min: 0, max: 6 }),
  unhealthy: fc.integer({ min: 0, max: 6 }),
});

const outlierArb = fc.record({
  maxEjectionPercent: fc.constantFrom(10, 50, 100),
});

const policyArb: fc.Arbitrary<SimTrafficPolicy | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record({ outlierDetection: outlierArb }),
  fc.record({
    localityLbSetting: fc.record({
      failover: fc.array(
        fc.record({
          from: fc.constantFrom(...REGIONS),
          to: fc.constantFrom(...REGIONS),
        }),
        { maxLength: 3 },
      ),
    }),
    outlierDetection: fc.option(outlierArb, { nil: undefined }),
  }),
  fc.record({
    localityLbSetting: fc.record({
      failoverPriority: fc.subarray([
        'topology.istio.io/network',
        'topology.kubernetes.io/region',
        'topology.kubernetes.io/zone',
        'topology.istio.io/cluster',
      ]),
    }),
    outlierDetection: outlierArb,
  }),
  fc.record({
    localityLbSetting: fc.record({
      distribute: fc.array(
        fc.record({
          from: fc.constantFrom('*', 'r1/*', 'r2', 'r3/a'),
          to: fc.dictionary(
            fc.constantFrom('r1/*', 'r2/*', 'r3/a', 'r3/b/*', '*'),
            fc.integer({ min: 1, max: 100 }),
          ),
        }),
        { maxLength: 2 },
      ),
    }),
    outlierDetection: fc.option(outlierArb, { nil: undefined }),
  }),
  fc.record({
    localityLbSetting: fc.record({ enabled: fc.constant(false) }),
    outlierDetection: outlierArb,
  }),
);

const failedArb = fc.array(
  fc.record({
    region: fc.constantFrom(...REGIONS),
    zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
  }),
  { maxLength: 3 },
);

const reachabilityArb = fc.array(
  fc.record({
    from: fc.constantFrom('c1', 'c2', 'c3'),
    to: fc.constantFrom('c1', 'c2', 'c3'),
    outcome: fc.constantFrom('excluded' as const, 'fails' as const),
    reasons: fc.constant<ReachabilityReason[]>([
      { code: 'MESH010', findingId: 'MESH010-x', summary: 'x' },
    ]),
  }),
  { maxLength: 4 },
);

const inputArb: fc.Arbitrary<SimulationInput> = fc
  .record({
    endpoints: fc.array(endpointArb, { maxLength: 8 }),
    policy: policyArb,
    failed: failedArb,
    meshLocalityLbEnabled: fc.option(fc.boolean(), { nil: undefined }),
    reachability: fc.option(reachabilityArb, { nil: undefined }),
  })
  .map(({ policy, meshLocalityLbEnabled, reachability, ...rest }) => ({
    ...rest,
    ...(reachability ? { reachability } : {}),
    ...(policy ? { policy } : {}),
    ...(meshLocalityLbEnabled === undefined ? {} : { meshLocalityLbEnabled }),
  }));

const isFailed = (
  failed: SimulationInput['failed'],
  region: string,
  zone: string,
) =>
  (failed ?? []).some(
    f => f.region === region && (f.zone === undefined || f.zone === zone),
  );

describe('simulateLocality properties', () => {
  it('gives each client shares summing to 100, or reports no healthy upstream with all shares 0', () => {
    fc.assert(
      fc.property(inputArb, input => {
        const result = simulateLocality(input);
        for (const client of result.clients) {
          const sum = client.shares.reduce((s, x) => s + x.share, 0);
          const ok = client.noHealthyUpstream
            ? client.shares.every(s => s.share === 0)
            : Math.abs(sum - 100) <= 0.01;
          expect({
            ok,
            sum,
            noHealthyUpstream: client.noHealthyUpstream,
          }).toMatchObject({ ok: true });
          expect(
            client.shares.every(s => s.share >= 0 && s.priority >= 0),
          ).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('sends nothing to an excluded cluster, and fails or ejects what cannot be reached', () => {
    fc.assert(
      fc.property(inputArb, input => {
        const result = simulateLocality(input);
        // The first entry of a pair wins, as in the sanitizer's map (later duplicates overwrite).
        const outcome = new Map<string, string>();
        for (const r of input.reachability ?? [])
          outcome.set(`${r.from}/${r.to}`, r.outcome);
        const ejects = input.policy?.outlierDetection !== undefined;
        for (const client of result.clients) {
          const of = (to: string) =>
            outcome.get(`${client.client.cluster}/${to}`);
          expect(
            client.shares.filter(x => of(x.cluster) === 'excluded'),
          ).toEqual([]);
          const failing = client.shares.filter(x => of(x.cluster) === 'fails');
          // With outlier detection they are ejected (0%); without, their share is marked as failing.
          expect(
            failing.filter(x => (ejects ? x.share !== 0 : x.fails !== true)),
          ).toEqual([]);
          const failingShare = client.shares
            .filter(x => x.fails)
            .reduce((sum, x) => sum + x.share, 0);
          expect(client.failingShare ?? 0).toBeCloseTo(failingShare, 3);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('sends nothing to a failed locality', () => {
    fc.assert(
      fc.property(inputArb, input => {
        for (const client of simulateLocality(input).clients) {
          const failed = client.shares.filter(s =>
            isFailed(input.failed, s.region, s.zone),
          );
          expect(failed.filter(s => s.share !== 0)).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('without outlierDetection there is no failover: shares follow healthy host counts', () => {
    fc.assert(
      fc.property(
        fc.array(endpointArb, { minLength: 1, maxLength: 8 }),
        failedArb,
        fc.array(
          fc.record({
            from: fc.constantFrom(...REGIONS),
            to: fc.constantFrom(...REGIONS),
          }),
          { maxLength: 2 },
        ),
        (endpoints, failed, failover) => {
          const result = simulateLocality({
            endpoints,
            failed,
            policy: { localityLbSetting: { failover } },
          });
          expect(result.mode).toBe('none');
          const healthy = new Map<string, number>();
          for (const e of endpoints) {
            const key = `${e.cluster}/${e.locality.region}/${e.locality.zone}`;
            const h = isFailed(failed, e.locality.region, e.locality.zone)
              ? 0
              : e.healthy;
            healthy.set(key, (healthy.get(key) ?? 0) + h);
          }
          const total = [...healthy.values()].reduce((s, h) => s + h, 0);
          for (const client of result.clients) {
            expect(client.noHealthyUpstream).toBe(total === 0);
            if (total === 0) continue;
            for (const s of client.shares) {
              const expected =
                (100 *
                  (healthy.get(`${s.cluster}/${s.region}/${s.zone}`) ?? 0)) /
                total;
              expect(Math.abs(s.share - expected)).toBeLessThanOrEqual(0.001);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('honours distribute weights when every endpoint is healthy', () => {
    const weightsArb = fc
      .array(fc.integer({ min: 1, max: 20 }), { minLength: 3, maxLength: 3 })
      .map(raw => {
        // Integers ≥ 1 summing to 100.
        const sum = raw.reduce((s, x) => s + x, 0);
        const w = raw.map(x => Math.max(1, Math.floor((x * 100) / sum)));
        w[0] += 100 - w.reduce((s, x) => s + x, 0);
        return w;
      })
      .filter(w => w.every(x => x >= 1));
    fc.assert(
      fc.property(
        weightsArb,
        fc.array(fc.integer({ min: 1, max: 5 }), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.constantFrom(...REGIONS),
        (weights, counts, clientRegion) => {
          const endpoints: SimEndpointGroup[] = REGIONS.map((region, i) => ({
            cluster: `c${i + 1}`,
            locality: { region, zone: 'a' },
            healthy: counts[i],
            unhealthy: 0,
          }));
          const to = Object.fromEntries(
            REGIONS.map((r, i) => [`${r}/*`, weights[i]]),
          );
          const result = simulateLocality({
            endpoints,
            clients: [{ locality: { region: clientRegion, zone: 'a' } }],
            policy: {
              localityLbSetting: { distribute: [{ from: '*', to }] },
              outlierDetection: {},
            },
          });
          const byRegion = Object.fromEntries(
            result.clients[0].shares.map(s => [s.region, s.share]),
          );
          REGIONS.forEach((r, i) =>
            expect(byRegion[r]).toBeCloseTo(weights[i], 3),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is deterministic and never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), input => {
        const a = simulateLocality(input as SimulationInput);
        expect(simulateLocality(input as SimulationInput)).toEqual(a);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.record({
          endpoints: fc.array(
            fc.oneof(endpointArb, fc.anything() as fc.Arbitrary<any>),
          ),
          policy: fc.oneof(policyArb, fc.anything() as fc.Arbitrary<any>),
          clients: fc.anything(),
          failed: fc.oneof(failedArb, fc.anything() as fc.Arbitrary<any>),
        }),
        input => {
          expect(() =>
            simulateLocality(input as SimulationInput),
          ).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});
