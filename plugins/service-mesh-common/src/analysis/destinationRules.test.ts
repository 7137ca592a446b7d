/*
 * DestinationRule selection as istiod does it. The first three blocks port istio pilot/pkg/model/
 * push_context_test.go (TestSetDestinationRuleWithWorkloadSelector, TestSetDestinationRuleMerging,
 * TestSetDestinationRuleWithExportTo); the last one holds the cases of issue 20 for product-service.
 */
import {
  buildDestinationRuleIndex,
  type ConsolidatedDestinationRule,
  destinationRuleForClient,
  destinationRuleIndex,
  destinationRulesForHost,
  destinationRulesInForce,
  type DestinationRuleSettings,
  ruleDefining,
  serviceDestinationRule,
} from './destinationRules';
import { emptyData, policy } from '../__testUtils__/fixtures';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

const dr = (
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  created?: string,
) => policy('DestinationRule', namespace, name, spec, created);

const settings = (
  extra: Partial<DestinationRuleSettings> = {},
): DestinationRuleSettings => ({
  rootNamespace: 'istio-system',
  defaultExportTo: ['*'],
  ...extra,
});

const names = (rules: ConsolidatedDestinationRule[]) =>
  rules.map(r => r.from[0].name);
const from = (rule: ConsolidatedDestinationRule) =>
  rule.from.map(r => `${r.namespace}/${r.name}`);
const subsets = (rule: ConsolidatedDestinationRule | undefined) =>
  ((rule?.spec.subsets ?? []) as Array<{ name: string }>).map(s => s.name);

describe('TestSetDestinationRuleWithWorkloadSelector', () => {
  const host = 'httpbin.org';
  const tp = (n: number) => ({
    connectionPool: { tcp: { maxConnections: n } },
  });
  // Rules for one workload selector (app1, app2, app2 again), created at 0 s, 1 s, 1 s.
  const forApp = (
    name: string,
    app: string,
    maxConnections: number,
    s: number,
  ) =>
    dr(
      'test',
      name,
      {
        host,
        exportTo: ['test2', '.'],
        workloadSelector: { matchLabels: { app } },
        trafficPolicy: tp(maxConnections),
      },
      at(s),
    );
  const index = buildDestinationRuleIndex(
    [
      forApp('nsRule1', 'app1', 111, 0),
      forApp('nsRule2', 'app2', 33, 1),
      forApp('nsRule3', 'app2', 33, 1),
      dr(
        'test',
        'nsRule4',
        { host, exportTo: ['.', 'test2'], trafficPolicy: tp(33) },
        at(-1),
      ),
    ],
    settings(),
  );

  it('returns the list of DRs for a specific host, merged per selector', () => {
    const list = destinationRulesForHost(index, 'test', host, 'test');
    expect(names(list)).toEqual(['nsRule1', 'nsRule2', 'nsRule4']);
    expect(list.map(from)).toEqual([
      ['test/nsRule1', 'test/nsRule4'],
      ['test/nsRule2', 'test/nsRule3', 'test/nsRule4'],
      ['test/nsRule4'],
    ]);
  });

  it('does not export a workload-specific DR', () => {
    expect(
      names(destinationRulesForHost(index, 'test2', host, 'test')),
    ).toEqual(['nsRule4']);
  });

  it('gives a client the rule of its selector, else the rule without one (SidecarScope.DestinationRule)', () => {
    const pick = (labels?: Record<string, string>) =>
      destinationRuleForClient(
        index,
        { namespace: 'test', labels },
        { namespace: 'test', name: 'x' },
      );
    // The Service host is x.test.svc.cluster.local: no rule names it.
    expect(pick({ app: 'app1' })).toBeUndefined();
    const list = destinationRulesForHost(index, 'test', host, 'test');
    expect(list[0].workloadSelector).toEqual({ app: 'app1' });
    expect(list[2].workloadSelector).toBeUndefined();
  });
});

describe('TestSetDestinationRuleMerging', () => {
  const host = 'httpbin.org';
  const subset = (...n: string[]) => n.map(name => ({ name }));
  const index = buildDestinationRuleIndex(
    [
      dr('test', 'rule1', { host, subsets: subset('subset1', 'subset2') }),
      dr('test', 'rule2', { host, subsets: subset('subset3', 'subset4') }),
      dr('test', 'rule3', {
        host,
        exportTo: ['istio-system'],
        subsets: subset('subset5', 'subset6'),
      }),
    ],
    settings(),
  );

  it('merges rules with the same exportTo and keeps the others apart', () => {
    const local = index.namespaceLocal.get('test')!.specific.get(host)!;
    const exported = index.exportedByNamespace.get('test')!.specific.get(host)!;
    expect(local).toHaveLength(1);
    expect(exported).toHaveLength(2);
    expect(from(local[0])).toEqual(['test/rule1', 'test/rule2']);
    expect(from(exported[0])).toEqual(['test/rule1', 'test/rule2']);
    expect(subsets(local[0])).toHaveLength(4);
    expect(subsets(exported[0])).toHaveLength(4);
    expect(from(exported[1])).toEqual(['test/rule3']);
    expect(subsets(exported[1])).toHaveLength(2);
    expect(exported[1].exportTo.has('istio-system')).toBe(true);
  });
});

describe('TestSetDestinationRuleWithExportTo', () => {
  const testhost = 'httpbin.org';
  const rule = (
    namespace: string,
    name: string,
    host: string,
    exportTo: string[] | undefined,
    subsetNames: string[],
  ) =>
    dr(namespace, name, {
      host,
      ...(exportTo ? { exportTo } : {}),
      subsets: subsetNames.map(n => ({ name: n })),
    });
  const index = buildDestinationRuleIndex(
    [
      rule('test1', 'rule1', testhost, ['.', 'ns1'], ['subset1', 'subset2']),
      rule(
        'test2',
        'rule2',
        testhost,
        ['test2', 'ns1', 'test1', 'newNS'],
        ['subset3', 'subset4'],
      ),
      rule(
        'test3',
        'rule3',
        testhost,
        ['test1', 'test2', '*'],
        ['subset5', 'subset6'],
      ),
      rule(
        'test4',
        'rule4-local',
        testhost,
        ['test4'],
        ['subset15', 'subset16'],
      ),
      rule('istio-system', 'rule4', testhost, undefined, [
        'subset7',
        'subset8',
      ]),
      rule('istio-system', 'rule1', testhost, ['.'], ['subset9', 'subset10']),
      rule('istio-system', 'rule2', '*.org', ['.'], ['subset11', 'subset12']),
      rule(
        'istio-system',
        'rule3',
        '*.app.org',
        ['.'],
        ['subset13', 'subset14'],
      ),
      rule(
        'test5',
        'rule5',
        'api.test.com',
        ['istio-system'],
        ['subset5-0', 'subset5-1'],
      ),
      rule(
        'test6',
        'rule6',
        'api.test.com',
        ['istio-system'],
        ['subset6-0', 'subset6-1'],
      ),
    ],
    settings(),
  );

  it.each<[string, string, string, string[] | undefined]>([
    ['test1', 'test1', testhost, ['subset1', 'subset2']],
    ['test1', 'test2', testhost, ['subset1', 'subset2']],
    ['test2', 'test1', testhost, ['subset3', 'subset4']],
    ['newNS', 'test2', testhost, ['subset3', 'subset4']],
    ['test3', 'test1', testhost, ['subset5', 'subset6']],
    ['test5', 'test4', testhost, ['subset7', 'subset8']],
    ['ns1', 'test1', testhost, ['subset1', 'subset2']],
    ['ns1', 'random', testhost, ['subset7', 'subset8']],
    ['random', 'random', testhost, ['subset7', 'subset8']],
    ['test3', 'random', testhost, ['subset5', 'subset6']],
    ['istio-system', 'random', testhost, ['subset9', 'subset10']],
    ['istio-system', 'istio-system', testhost, ['subset9', 'subset10']],
    ['istio-system', 'istio-system', 'foo.app.org', ['subset13', 'subset14']],
    // A rule in the service's namespace takes effect for a client in the root namespace.
    ['istio-system', 'test5', 'api.test.com', ['subset5-0', 'subset5-1']],
    ['istio-system', 'test6', 'api.test.com', ['subset6-0', 'subset6-1']],
    // Neither the rule's nor the service's namespace is the client's: no rule.
    ['istio-system', 'test7', 'api.test.com', undefined],
  ])(
    'client in %s, service in %s, host %s',
    (client, serviceNs, host, want) => {
      const out = destinationRulesForHost(index, client, host, serviceNs);
      expect(out.length > 0 ? subsets(out[0]) : undefined).toEqual(want);
    },
  );
});

describe('issue 20: product-service in global-svc', () => {
  const service = { namespace: 'global-svc', name: 'product-service' };
  const fqdn = 'product-service.global-svc.svc.cluster.local';
  const outlier = (n: number) => ({
    outlierDetection: { consecutive5xxErrors: n },
  });

  it('does not expand a dotted host: product-service.global-svc names no Service', () => {
    const data = emptyData({
      destinationRules: [
        dr('global-svc', 'dotted', { host: 'product-service.global-svc' }),
      ],
    });
    expect(serviceDestinationRule(data, service)).toBeUndefined();
    expect(
      destinationRulesInForce(destinationRuleIndex(data), service),
    ).toEqual([]);
  });

  it('applies a rule of another namespace with exportTo ["."] to clients of that namespace only', () => {
    const data = emptyData({
      destinationRules: [
        dr('team', 'private', { host: fqdn, exportTo: ['.'] }),
      ],
    });
    const index = destinationRuleIndex(data);
    expect(serviceDestinationRule(data, service)).toBeUndefined();
    expect(
      destinationRuleForClient(index, { namespace: 'team' }, service)?.from[0]
        .name,
    ).toBe('private');
    const inForce = destinationRulesInForce(index, service);
    expect(inForce.map(e => [e.rule.from[0].name, e.clients])).toEqual([
      ['private', { namespaces: ['team'] }],
    ]);
  });

  it('applies a workloadSelector rule to the selected clients of its namespace only', () => {
    const data = emptyData({
      destinationRules: [
        dr('global-svc', 'for-storefront', {
          host: 'product-service',
          workloadSelector: { matchLabels: { app: 'storefront' } },
          trafficPolicy: outlier(3),
        }),
      ],
    });
    const index = destinationRuleIndex(data);
    expect(serviceDestinationRule(data, service)).toBeUndefined();
    expect(
      destinationRuleForClient(
        index,
        { namespace: 'global-svc', labels: { app: 'storefront', v: '1' } },
        service,
      )?.from[0].name,
    ).toBe('for-storefront');
    expect(
      destinationRuleForClient(
        index,
        { namespace: 'payments', labels: { app: 'storefront' } },
        service,
      ),
    ).toBeUndefined();
    expect(destinationRulesInForce(index, service)).toEqual([
      expect.objectContaining({
        clients: {
          namespaces: ['global-svc'],
          workloadSelector: { app: 'storefront' },
        },
      }),
    ]);
  });

  it('merges five matching rules as Istio does: the most specific host, subsets concatenated, the oldest traffic policy', () => {
    const data = emptyData({
      destinationRules: [
        dr(
          'global-svc',
          'c-newest',
          {
            host: 'product-service',
            trafficPolicy: outlier(9),
            subsets: [{ name: 'v1' }, { name: 'v3' }],
          },
          at(30),
        ),
        dr(
          'global-svc',
          'a-oldest',
          { host: 'product-service', subsets: [{ name: 'v1' }] },
          at(10),
        ),
        dr(
          'global-svc',
          'b-middle',
          { host: fqdn, trafficPolicy: outlier(5), subsets: [{ name: 'v2' }] },
          at(20),
        ),
        dr(
          'global-svc',
          'namespace-wide',
          { host: '*.global-svc.svc.cluster.local', trafficPolicy: outlier(1) },
          at(0),
        ),
        dr(
          'istio-system',
          'mesh-wide',
          { host: '*.cluster.local', trafficPolicy: outlier(2) },
          at(0),
        ),
      ],
    });
    const index = destinationRuleIndex(data);
    const rule = serviceDestinationRule(data, service)!;
    expect(from(rule)).toEqual([
      'global-svc/a-oldest',
      'global-svc/b-middle',
      'global-svc/c-newest',
    ]);
    expect(subsets(rule)).toEqual(['v1', 'v2', 'v3']);
    expect(rule.spec.trafficPolicy).toEqual(outlier(5));
    expect(rule.trafficPolicyFrom?.name).toBe('b-middle');
    expect(ruleDefining(rule, 'subsets[v3].trafficPolicy').name).toBe(
      'c-newest',
    );
    // Every client gets the same merged rule; the wildcard rules are not in force for this service.
    const inForce = destinationRulesInForce(index, service);
    expect(inForce).toHaveLength(1);
    expect(inForce[0].rule).toBe(rule);
    expect(inForce[0].clients).toEqual({
      namespaces: ['*', 'global-svc', 'istio-system'],
    });
    // The namespace-wide rule still holds for the namespace's other services.
    expect(
      serviceDestinationRule(data, { namespace: 'global-svc', name: 'cart' })
        ?.from[0].name,
    ).toBe('namespace-wide');
  });

  it('honours the mesh default exportTo "." for rules without exportTo', () => {
    const data = emptyData({
      meshConfigs: [
        {
          revision: 'default',
          namespace: 'istio-system',
          configMap: 'istio',
          defaultDestinationRuleExportTo: ['.'],
        },
      ],
      destinationRules: [dr('team', 'team-rule', { host: fqdn })],
    });
    const index = destinationRuleIndex(data);
    expect(
      destinationRuleForClient(index, { namespace: 'team' }, service),
    ).toBeDefined();
    expect(
      destinationRuleForClient(index, { namespace: 'other' }, service),
    ).toBeUndefined();
    // With Istio's default (`*`) the rule is exported, but a client looks only in its own, the service's and the
    // root namespace's rules: only team's clients get it.
    const open = emptyData({
      destinationRules: [dr('team', 'team-rule', { host: fqdn })],
    });
    expect(serviceDestinationRule(open, service)).toBeUndefined();
    expect(
      destinationRulesInForce(destinationRuleIndex(open), service).map(
        e => e.clients,
      ),
    ).toEqual([{ namespaces: ['team'] }]);
  });

  it('lists a client-namespace rule, the root rule for everyone else, and keeps the service namespace first', () => {
    const data = emptyData({
      destinationRules: [
        dr('istio-system', 'mesh-wide', {
          host: '*.cluster.local',
          trafficPolicy: outlier(2),
        }),
        dr('storefront', 'storefront-view', {
          host: fqdn,
          exportTo: ['.'],
          trafficPolicy: outlier(7),
        }),
      ],
    });
    const inForce = destinationRulesInForce(
      destinationRuleIndex(data),
      service,
    );
    expect(inForce.map(e => [e.rule.from[0].name, e.clients])).toEqual([
      ['mesh-wide', { namespaces: ['*', 'global-svc', 'istio-system'] }],
      ['storefront-view', { namespaces: ['storefront'] }],
    ]);
  });
});
