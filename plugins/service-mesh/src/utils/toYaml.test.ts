import { toYaml } from './toYaml';

describe('toYaml', () => {
  it('writes nested objects, arrays and quoted scalars', () => {
    expect(
      toYaml({
        host: 'product-service.global-svc.svc.cluster.local',
        trafficPolicy: {
          loadBalancer: {
            localityLbSetting: {
              enabled: true,
              distribute: [
                {
                  from: 'us-east-1/*',
                  to: { 'us-east-1/*': 80, 'eu-west-1/*': 20 },
                },
              ],
              failover: [],
            },
          },
          outlierDetection: { interval: '10s', maxEjectionPercent: 100 },
        },
        tags: ['a', 'true', '*star', 'x: y'],
        empty: {},
      }),
    ).toBe(
      [
        'host: product-service.global-svc.svc.cluster.local',
        'trafficPolicy:',
        '  loadBalancer:',
        '    localityLbSetting:',
        '      enabled: true',
        '      distribute:',
        '        - from: us-east-1/*',
        '          to:',
        '            us-east-1/*: 80',
        '            eu-west-1/*: 20',
        '      failover: []',
        '  outlierDetection:',
        '    interval: 10s',
        '    maxEjectionPercent: 100',
        'tags:',
        '  - a',
        '  - "true"',
        '  - "*star"',
        '  - "x: y"',
        'empty: {}',
        '',
      ].join('\n'),
    );
  });

  it('handles empty and scalar roots', () => {
    expect(toYaml({})).toBe('{}\n');
    expect(toYaml('plain')).toBe('plain\n');
  });
});
