import { simulateLocality } from './simulate';
import type { SimulationInput } from './types';

const OD = { consecutive5xxErrors: 1, maxEjectionPercent: 100 };
const reason = (code: 'MESH010' | 'MESH032') => ({
  code,
  findingId: `${code}-x`,
  summary: code === 'MESH010' ? 'no remote secret' : 'no gateway address',
});

/** Two clusters in one zone each, 2 endpoints each, clients in c1. */
function input(extra: Partial<SimulationInput> = {}): SimulationInput {
  return {
    endpoints: [
      {
        cluster: 'c1',
        locality: { region: 'r1', zone: 'a' },
        healthy: 2,
        unhealthy: 0,
      },
      {
        cluster: 'c2',
        locality: { region: 'r2', zone: 'b' },
        healthy: 2,
        unhealthy: 0,
      },
    ],
    clients: [{ cluster: 'c1', locality: { region: 'r1', zone: 'a' } }],
    ...extra,
  };
}

const shares = (input_: SimulationInput) =>
  simulateLocality(input_).clients[0].shares.map(s => [
    s.cluster,
    s.share,
    s.fails ?? false,
  ]);

describe('simulateLocality with reachability', () => {
  it('spreads over every endpoint when all are reachable (no outlierDetection: round robin)', () => {
    expect(shares(input())).toEqual([
      ['c1', 50, false],
      ['c2', 50, false],
    ]);
  });

  it('leaves an excluded (undiscovered) cluster out of the load-balancing set', () => {
    const result = simulateLocality(
      input({
        reachability: [
          {
            from: 'c1',
            to: 'c2',
            outcome: 'excluded',
            reasons: [reason('MESH010')],
          },
        ],
      }),
    );
    expect(result.clients[0].shares.map(s => [s.cluster, s.share])).toEqual([
      ['c1', 100],
    ]);
    expect(result.clients[0].unreachable).toEqual([
      { cluster: 'c2', outcome: 'excluded', reasons: [reason('MESH010')] },
    ]);
    expect(result.notes.join(' ')).toContain(
      "Clients in c1 do not see c2's endpoints: their istiod does not discover them: no remote secret (MESH010).",
    );
  });

  it('sends its share to an unroutable cluster, where it fails, without outlierDetection', () => {
    const result = simulateLocality(
      input({
        reachability: [
          {
            from: 'c1',
            to: 'c2',
            outcome: 'fails',
            reasons: [reason('MESH032')],
          },
        ],
      }),
    );
    const [client] = result.clients;
    expect(
      client.shares.map(s => [s.cluster, s.share, s.fails ?? false]),
    ).toEqual([
      ['c1', 50, false],
      ['c2', 50, true],
    ]);
    expect(client.failingShare).toBe(50);
    expect(client.unreachable).toEqual([
      { cluster: 'c2', outcome: 'fails', reasons: [reason('MESH032')] },
    ]);
    expect(result.notes.join(' ')).toContain('their share of requests fails');
  });

  it('ejects an unroutable cluster with outlierDetection: its share moves to what works', () => {
    const result = simulateLocality(
      input({
        policy: { outlierDetection: OD },
        reachability: [
          {
            from: 'c1',
            to: 'c2',
            outcome: 'fails',
            reasons: [reason('MESH032')],
          },
        ],
      }),
    );
    const [client] = result.clients;
    expect(client.shares.map(s => [s.cluster, s.share])).toEqual([
      ['c1', 100],
      ['c2', 0],
    ]);
    expect(client.failingShare).toBeUndefined();
    expect(client.unreachable![0]).toMatchObject({
      outcome: 'fails',
      ejected: true,
    });
  });

  it('answers no healthy upstream when nothing reachable is left, and keeps what-if failures working', () => {
    const cutOff = input({
      reachability: [
        {
          from: 'c1',
          to: 'c2',
          outcome: 'excluded',
          reasons: [reason('MESH010')],
        },
      ],
    });
    const whatIf = simulateLocality({ ...cutOff, failed: [{ region: 'r1' }] });
    expect(whatIf.clients[0].noHealthyUpstream).toBe(true);
  });

  it('applies a pair to its client cluster only', () => {
    const result = simulateLocality(
      input({
        clients: [
          { cluster: 'c1', locality: { region: 'r1', zone: 'a' } },
          { cluster: 'c2', locality: { region: 'r2', zone: 'b' } },
        ],
        reachability: [
          {
            from: 'c1',
            to: 'c2',
            outcome: 'excluded',
            reasons: [reason('MESH010')],
          },
        ],
      }),
    );
    expect(result.clients[1].shares.map(s => s.cluster)).toEqual(['c1', 'c2']);
    expect(result.clients[1].unreachable).toBeUndefined();
  });

  it('ignores malformed reachability entries', () => {
    expect(
      shares(
        input({
          reachability: [
            { from: 'c1', to: 'c2', outcome: 'maybe' } as never,
            null as never,
          ],
        }),
      ),
    ).toEqual([
      ['c1', 50, false],
      ['c2', 50, false],
    ]);
  });
});
