/*
 * Cases from k8s.io/apimachinery/pkg/labels/selector_test.go (TestSelectorParse, TestSelectorMatches,
 * TestRequirementSelectorMatching, TestSetSelectorParser), so the parser keeps the API server's answers.
 */
import {
  labelSelectorAsRequirements,
  exactMatchRequirement,
  LabelRequirement,
  LabelSelectorError,
  labelSelectorMatches,
  matchLabelsSubsetOf,
  parseLabelSelector,
  serviceSelectorSelects,
} from './labelSelector';

const matches = (selector: string, labels: Record<string, string>) =>
  labelSelectorMatches(parseLabelSelector(selector), labels);

describe('parseLabelSelector (TestSelectorParse)', () => {
  it.each([
    '',
    'x=a',
    'x=a,y=b,z=c',
    'x!=a,y=b',
    'x=',
    'x= ',
    'x=,z= ',
    'x= ,z= ',
    '!x',
    'x>1',
    'x>1,z<5',
  ])('accepts %j', selector => {
    expect(() => parseLabelSelector(selector)).not.toThrow();
  });

  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a'])('rejects %j', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
  });
});

describe('labelSelectorMatches (TestSelectorMatches)', () => {
  it.each<[string, Record<string, string>]>([
    ['', { x: 'y' }],
    ['x=y', { x: 'y' }],
    ['x=y,z=w', { x: 'y', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }],
    ['x', { x: 'z' }],
    ['!x', { y: 'z' }],
    ['x>1', { x: '2' }],
    ['x<1', { x: '0' }],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
  ])('%j matches %j', (selector, labels) => {
    expect(matches(selector, labels)).toBe(true);
  });

  it.each<[string, Record<string, string>]>([
    ['x=z', {}],
    ['x=y', { x: 'z' }],
    ['x=y,z=w', { x: 'w', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'w' }],
    ['x', { y: 'z' }],
    ['!x', { x: 'z' }],
    ['x>1', { x: '0' }],
    ['x<1', { x: '2' }],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
    // TestRequirementSelectorMatching: a non-integer label never satisfies gt/lt.
    ['z>1', { z: 'v2' }],
    ['x in ()', { y: 'baz' }],
  ])('%j does not match %j', (selector, labels) => {
    expect(matches(selector, labels)).toBe(false);
  });

  it('reads only own label keys', () => {
    expect(matches('constructor', {})).toBe(false);
    expect(matches('!toString', {})).toBe(true);
  });
});

describe('parseLabelSelector (TestSetSelectorParser)', () => {
  const req = (
    key: string,
    operator: LabelRequirement['operator'],
    values: string[] = [],
  ): LabelRequirement => ({ key, operator, values: [...values].sort() });

  it.each<[string, LabelRequirement[]]>([
    ['', []],
    ['\rx', [req('x', 'exists')]],
    [
      'this-is-a-dns.domain.com/key-with-dash',
      [req('this-is-a-dns.domain.com/key-with-dash', 'exists')],
    ],
    [
      'this-is-another-dns.domain.com/key-with-dash in (so,what)',
      [
        req('this-is-another-dns.domain.com/key-with-dash', 'in', [
          'so',
          'what',
        ]),
      ],
    ],
    [
      '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)',
      [req('0.1.2.domain/99', 'notin', ['10.10.100.1', 'tick.tack.clock'])],
    ],
    ['foo  in\t (abc)', [req('foo', 'in', ['abc'])]],
    ['x notin\n (abc)', [req('x', 'notin', ['abc'])]],
    ['x  notin\t\t(abc,def)', [req('x', 'notin', ['abc', 'def'])]],
    ['x in (abc,def)', [req('x', 'in', ['abc', 'def'])]],
    ['x in (abc,)', [req('x', 'in', ['abc', ''])]],
    ['x in (abc,abc)', [req('x', 'in', ['abc'])]],
    ['x in ()', [req('x', 'in', [''])]],
    ['x in (a,,)', [req('x', 'in', ['a', ''])]],
    ['x in (a,,,)', [req('x', 'in', ['a', ''])]],
    ['x in (a,,a,,a,,a,,)', [req('x', 'in', ['a', ''])]],
    [
      'x notin (abc,,def),bar,z in (),w',
      [
        req('bar', 'exists'),
        req('w', 'exists'),
        req('x', 'notin', ['abc', '', 'def']),
        req('z', 'in', ['']),
      ],
    ],
    ['x=a', [req('x', '=', ['a'])]],
    ['x>1', [req('x', 'gt', ['1'])]],
    ['x<7', [req('x', 'lt', ['7'])]],
    ['x=a,y!=b', [req('x', '=', ['a']), req('y', '!=', ['b'])]],
    ['x notin ( )', [req('x', 'notin', [''])]],
    ['x notin (, a)', [req('x', 'notin', ['', 'a'])]],
    ['a ', [req('a', 'exists')]],
    [
      'a in (x,y,notin, z,in)',
      [req('a', 'in', ['in', 'notin', 'x', 'y', 'z'])],
    ],
    ['x==a', [req('x', '==', ['a'])]],
    ['x=', [req('x', '=', [''])]],
  ])('%j', (selector, expected) => {
    expect(parseLabelSelector(selector)).toEqual(expected);
  });

  it.each([
    'x=a||y=b',
    'x,,y',
    ',x,y',
    'x nott in (y)',
    'a in (xyz),',
    'a in (xyz)b notin ()',
    'a in (xyz abc)',
    'a notin(',
    'a (',
    '(',
    // Keys and values are label keys and values.
    '-x',
    'x=-a',
    `x=${'a'.repeat(64)}`,
    'Example.com/x',
    'a/b/c',
    'x>9223372036854775808',
  ])('rejects %j', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
  });

  it('words its errors like the API server', () => {
    expect(() => parseLabelSelector('x,,y')).toThrow(
      "found ',', expected: identifier after ','",
    );
    expect(() => parseLabelSelector('x<a')).toThrow(
      /unable to parse requirement: .*for 'Gt', 'Lt' operators, the value must be an integer/,
    );
  });
});

describe('exactMatchRequirement', () => {
  it('finds an equality requirement to look candidates up by', () => {
    expect(
      exactMatchRequirement(parseLabelSelector('tier notin (db),app=web')),
    ).toEqual({ key: 'app', value: 'web' });
    expect(exactMatchRequirement(parseLabelSelector('app in (web)'))).toEqual({
      key: 'app',
      value: 'web',
    });
    expect(
      exactMatchRequirement(parseLabelSelector('app in (web,api),!legacy')),
    ).toBeUndefined();
  });
});

describe('map selectors', () => {
  it('a Service selector selects pods carrying every pair; an empty one selects nothing', () => {
    expect(serviceSelectorSelects({ app: 'a' }, { app: 'a', v: '1' })).toBe(
      true,
    );
    expect(serviceSelectorSelects({ app: 'a', v: '2' }, { app: 'a' })).toBe(
      false,
    );
    expect(serviceSelectorSelects({}, { app: 'a' })).toBe(false);
  });

  it('an Istio matchLabels selector is a subset test; an empty one selects every workload', () => {
    expect(matchLabelsSubsetOf({ app: 'a' }, { app: 'a', v: '1' })).toBe(true);
    expect(matchLabelsSubsetOf({ app: 'b' }, { app: 'a' })).toBe(false);
    expect(matchLabelsSubsetOf({}, { app: 'a' })).toBe(true);
    expect(matchLabelsSubsetOf({}, {})).toBe(true);
  });
});

// k8s.io/apimachinery/pkg/apis/meta/v1/helpers_test.go TestLabelSelectorAsSelector.
describe('labelSelectorAsRequirements (LabelSelectorAsSelector)', () => {
  it('turns matchLabels and matchExpressions into requirements sorted by key', () => {
    const r = labelSelectorAsRequirements({
      matchLabels: { foo: 'bar' },
      matchExpressions: [
        { key: 'baz', operator: 'In', values: ['qux', 'norf'] },
        { key: 'a', operator: 'DoesNotExist' },
      ],
    });
    expect(r).toEqual([
      { key: 'a', operator: '!', values: [] },
      { key: 'baz', operator: 'in', values: ['norf', 'qux'] },
      { key: 'foo', operator: '=', values: ['bar'] },
    ]);
    expect(labelSelectorMatches(r, { foo: 'bar', baz: 'qux' })).toBe(true);
    expect(labelSelectorMatches(r, { foo: 'bar', baz: 'qux', a: '' })).toBe(
      false,
    );
  });

  it('is empty (Everything) without requirements, and rejects what the API server rejects', () => {
    expect(labelSelectorAsRequirements({})).toEqual([]);
    expect(() =>
      labelSelectorAsRequirements({
        matchExpressions: [{ key: 'foo', operator: 'Blah', values: ['x'] }],
      }),
    ).toThrow('"Blah" is not a valid label selector operator');
    expect(() =>
      labelSelectorAsRequirements({
        matchExpressions: [{ key: 'foo', operator: 'In', values: [] }],
      }),
    ).toThrow("values set can't be empty");
    expect(() =>
      labelSelectorAsRequirements({
        matchExpressions: [{ key: 'foo', operator: 'Exists', values: ['x'] }],
      }),
    ).toThrow('values set must be empty');
    expect(() =>
      labelSelectorAsRequirements({ matchLabels: { 'bad key': 'x' } }),
    ).toThrow('Invalid value');
  });
});
