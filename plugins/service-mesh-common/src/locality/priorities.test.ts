/*
 * failoverPriority as istiod computes it: pilot/pkg/networking/core/loadbalancer/loadbalancer.go
 * priorityLabelOverrides + applyFailoverPriorityPerLocality (Istio master, 2026-08). The example cases are
 * loadbalancer_test.go's TestApplyLocalitySetting "FailoverPriority" cases, with its endpoint labels
 * (buildWrappedLocalityLbEndpoints).
 */
import fc from 'fast-check';
import { labelPriority, priorityLabelOverrides } from './priorities';

const NETWORK = 'topology.istio.io/network';
const CLUSTER = 'topology.istio.io/cluster';
const REGION = 'topology.kubernetes.io/region';

// loadbalancer_test.go buildWrappedLocalityLbEndpoints: three localities of two endpoints.
const ISTIO_ENDPOINTS: Record<string, Record<string, string>> = {
  '1.1.1.1': { [NETWORK]: 'n1', [CLUSTER]: 'c1' },
  '2.2.2.2': { key: 'value', [NETWORK]: 'n2', [CLUSTER]: 'c2' },
  '3.3.3.3': { key: 'value', [NETWORK]: 'n1', [CLUSTER]: 'c3' },
  '4.4.4.4': { key: 'value', [NETWORK]: 'n2', [CLUSTER]: 'c4' },
  '1.2.3.4': { key: 'value', [NETWORK]: 'n1', [CLUSTER]: 'c1' },
  '2.3.4.5': { key: 'value', [NETWORK]: 'n2', [CLUSTER]: 'c2' },
};

function priorities(client: Record<string, string>, keys: string[]) {
  return Object.fromEntries(
    Object.entries(ISTIO_ENDPOINTS).map(([ip, labels]) => [
      ip,
      labelPriority(client, labels, keys),
    ]),
  );
}

describe('priorityLabelOverrides (loadbalancer.go)', () => {
  it('splits on "=", overriding only entries with exactly one "="; the last override of a label wins', () => {
    const { labels, overrides } = priorityLabelOverrides([
      'a',
      'b=1',
      'c=x=y',
      'b=2',
      'd=',
    ]);
    expect(labels).toEqual(['a', 'b', 'c', 'b', 'd']);
    expect([...overrides]).toEqual([
      ['b', '2'],
      ['d', ''],
    ]);
  });
});

describe('labelPriority (applyFailoverPriorityPerLocality)', () => {
  it('"match all labels": [key, network, cluster] with the first key not the network', () => {
    const client = { key: 'value', [NETWORK]: 'n2', [CLUSTER]: 'c2' };
    // Raw priorities; applyFailoverPriorities then compacts them to 0..3 (Istio's expected values).
    expect(priorities(client, ['key', NETWORK, CLUSTER])).toEqual({
      '1.1.1.1': 3, // no key
      '2.2.2.2': 0, // all match
      '3.3.3.3': 2, // network differs
      '4.4.4.4': 1, // cluster differs
      '1.2.3.4': 2,
      '2.3.4.5': 0,
    });
  });

  it('"priority assignment as per the overridden value": [network=n1] compares with n1, not the client network', () => {
    const client = { [NETWORK]: 'n2', [CLUSTER]: 'test' };
    expect(priorities(client, [`${NETWORK}=n1`])).toEqual({
      '1.1.1.1': 0,
      '2.2.2.2': 1,
      '3.3.3.3': 0,
      '4.4.4.4': 1,
      '1.2.3.4': 0,
      '2.3.4.5': 1,
    });
  });

  it('"no endpoints with overridden value": [network=n3] puts every endpoint on one priority', () => {
    const client = { [NETWORK]: 'n1', [CLUSTER]: 'test' };
    expect(
      new Set(Object.values(priorities(client, [`${NETWORK}=n3`]))),
    ).toEqual(new Set([1]));
  });

  it('"FailoverPriority including locality": a bare network key first adds N and still ranks the rest', () => {
    const client = { [NETWORK]: 'n1', region: 'region2', zone: 'zone2' };
    const keys = [NETWORK, 'region', 'zone'];
    const at = (network: string, region: string, zone: string) =>
      labelPriority(client, { [NETWORK]: network, region, zone }, keys);
    // Istio's expected (compacted) priorities: n1 r2 z2 → 0, n1 r1 z1 → 1, n2 r1 z2 and n2 r3 z3 → 3 (raw 5).
    expect(at('n1', 'region2', 'zone2')).toBe(0);
    expect(at('n1', 'region1', 'zone1')).toBe(2);
    expect(at('n2', 'region1', 'zone2')).toBe(5);
    expect(at('n2', 'region3', 'zone3')).toBe(5);
    expect(at('n2', 'region2', 'zone2')).toBe(3);
  });

  // Failed before this change: the overridden network entry got the network-first rule (n2/other cluster was 3).
  it('gives an overridden network entry no network-first rule: includesNetwork compares the raw entry', () => {
    const client = { [NETWORK]: 'n1', [CLUSTER]: 'c1' };
    const keys = [`${NETWORK}=n1`, CLUSTER];
    expect(
      labelPriority(client, { [NETWORK]: 'n1', [CLUSTER]: 'c1' }, keys),
    ).toBe(0);
    expect(
      labelPriority(client, { [NETWORK]: 'n1', [CLUSTER]: 'c9' }, keys),
    ).toBe(1);
    expect(
      labelPriority(client, { [NETWORK]: 'n2', [CLUSTER]: 'c1' }, keys),
    ).toBe(2);
    expect(
      labelPriority(client, { [NETWORK]: 'n2', [CLUSTER]: 'c9' }, keys),
    ).toBe(2);
  });

  // Failed before this change: `a=b=c` was read as an override with the value `b=c`.
  it('reads an entry with two "=" as the bare label (Go strings.Split gives three parts)', () => {
    const keys = ['zone=a=b'];
    expect(labelPriority({ zone: 'x' }, { zone: 'x' }, keys)).toBe(0);
    expect(labelPriority({ zone: 'x' }, { zone: 'a=b' }, keys)).toBe(1);
  });

  // Failed before this change: overrides were per entry, not per label.
  it('applies a label override to every entry of that label, a bare one before it included', () => {
    const keys = [REGION, `${REGION}=r2`];
    expect(labelPriority({ [REGION]: 'r1' }, { [REGION]: 'r2' }, keys)).toBe(0);
    expect(labelPriority({ [REGION]: 'r1' }, { [REGION]: 'r1' }, keys)).toBe(2);
  });
});

describe('labelPriority properties', () => {
  const LABEL_NAMES = [NETWORK, CLUSTER, REGION, 'zone', 'key'];
  const value = fc.constantFrom('', 'v1', 'v2');
  const labels = fc.dictionary(fc.constantFrom(...LABEL_NAMES), value);
  const bareKeys = fc.uniqueArray(fc.constantFrom(...LABEL_NAMES), {
    minLength: 1,
    maxLength: 5,
  });

  it('with distinct bare keys and no network first: 0 when all agree, else N − (first differing index)', () => {
    fc.assert(
      fc.property(labels, labels, bareKeys, (client, endpoint, keys) => {
        fc.pre(keys[0] !== NETWORK);
        const first = keys.findIndex(
          k => (client[k] ?? '') !== (endpoint[k] ?? ''),
        );
        expect(labelPriority(client, endpoint, keys)).toBe(
          first < 0 ? 0 : keys.length - first,
        );
      }),
    );
  });

  it('network first: another network ranks below every same-network endpoint and keeps the order of the rest', () => {
    fc.assert(
      fc.property(labels, labels, bareKeys, (client, endpoint, rest) => {
        const keys = [NETWORK, ...rest.filter(k => k !== NETWORK)];
        const sameNetwork = { ...endpoint, [NETWORK]: client[NETWORK] ?? '' };
        const otherNetwork = {
          ...endpoint,
          [NETWORK]: `${client[NETWORK] ?? ''}-other`,
        };
        const local = labelPriority(client, sameNetwork, keys);
        const remote = labelPriority(client, otherNetwork, keys);
        expect(local).toBeLessThan(keys.length);
        expect(remote).toBe(local + keys.length);
      }),
    );
  });

  it('an overridden label never depends on the client value', () => {
    fc.assert(
      fc.property(
        labels,
        labels,
        value,
        bareKeys,
        fc.nat(4),
        (client, endpoint, override, keys, at) => {
          const i = at % keys.length;
          const label = keys[i];
          const withOverride = keys.map((k, j) =>
            j === i ? `${k}=${override}` : k,
          );
          const a = labelPriority(
            { ...client, [label]: 'x' },
            endpoint,
            withOverride,
          );
          const b = labelPriority(
            { ...client, [label]: 'y' },
            endpoint,
            withOverride,
          );
          expect(a).toBe(b);
        },
      ),
    );
  });

  it('an overridden label ranks like a client whose label has the override value (network-first aside)', () => {
    fc.assert(
      fc.property(
        labels,
        labels,
        value,
        bareKeys,
        fc.nat(4),
        (client, endpoint, override, keys, at) => {
          const i = at % keys.length;
          const label = keys[i];
          // A bare network key first gets the network-first rule; its overridden form does not.
          fc.pre(!(i === 0 && label === NETWORK));
          const withOverride = keys.map((k, j) =>
            j === i ? `${k}=${override}` : k,
          );
          expect(labelPriority(client, endpoint, withOverride)).toBe(
            labelPriority({ ...client, [label]: override }, endpoint, keys),
          );
        },
      ),
    );
  });

  it('stays within 0..2N', () => {
    fc.assert(
      fc.property(
        labels,
        labels,
        fc.array(
          fc.oneof(
            fc.constantFrom(...LABEL_NAMES),
            fc
              .tuple(fc.constantFrom(...LABEL_NAMES), value)
              .map(([k, v]) => `${k}=${v}`),
          ),
          { maxLength: 6 },
        ),
        (client, endpoint, keys) => {
          const p = labelPriority(client, endpoint, keys);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(2 * keys.length);
        },
      ),
    );
  });
});
