import { parse } from 'yaml';
import { toYaml } from './toYaml';

describe('toYaml', () => {
  it('writes nested objects and arrays as block YAML', () => {
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
        'empty: {}',
        '',
      ].join('\n'),
    );
  });

  // Each of these is a number, a boolean or null to a YAML 1.1 reader when written bare.
  const ambiguous = [
    '0x1A',
    '1e3',
    '.5',
    '-.5',
    '+1',
    '010',
    '.inf',
    '-.Inf',
    '.NaN',
    'y',
    'n',
    'Y',
    'yes',
    'No',
    'on',
    'OFF',
    'true',
    'null',
    '~',
    '1:20',
    '2024-01-01',
    '',
  ];

  it.each(ambiguous)('quotes %j so it reads back as a string', text => {
    const written = toYaml({ value: text });
    expect(written).not.toBe(`value: ${text}\n`);
    expect(parse(written, { version: '1.1' })).toEqual({ value: text });
    expect(parse(written)).toEqual({ value: text });
  });

  it('round-trips keys, special characters and multi-line strings', () => {
    const value = {
      y: 'n',
      'x: y': ['*star', '#comment', ' lead', 'trail ', 'a\nb', "it's", '"q"'],
      numbers: [0, 1.5, -2, 1e21],
      flags: [true, false, null],
    };
    const written = toYaml(value);
    expect(parse(written, { version: '1.1' })).toEqual(value);
    expect(parse(written)).toEqual(value);
  });

  it('handles empty and scalar roots', () => {
    expect(toYaml({})).toBe('{}\n');
    expect(toYaml([])).toBe('[]\n');
    expect(toYaml('plain')).toBe('plain\n');
    expect(toYaml('y')).toBe('"y"\n');
  });
});
