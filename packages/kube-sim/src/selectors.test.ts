import {
  fieldsMatch,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.ts';

describe('parseLabelSelector', () => {
  const labels = {
    app: 'product',
    tier: 'backend',
    'istio.io/rev': '1-22',
    replicas: '3',
  };
  const cases: Array<[string, boolean]> = [
    ['app=product', true],
    ['app==product', true],
    ['app=other', false],
    ['app!=other', true],
    ['missing!=x', true],
    ['app in (product, storefront)', true],
    ['app in (storefront)', false],
    ['app notin (storefront)', true],
    ['missing notin (x)', true],
    ['istio.io/rev', true],
    ['!istio.io/rev', false],
    ['!missing', true],
    ['app=product,tier=backend,istio.io/rev in (1-22,1-23)', true],
    ['app=product,tier=frontend', false],
    ['replicas>2', true],
    ['replicas<2', false],
    // The API server accepts `in ()`: a set of one empty value (labels/selector.go parseValues).
    ['app in ()', false],
    ['app notin ()', true],
    ['', true],
  ];
  it.each(cases)('%s → %s', (selector, expected) => {
    const match = parseLabelSelector(selector);
    expect(match ? match(labels) : true).toBe(expected);
  });

  it.each(['app in (', 'app=in valid', '=x', 'a b c', 'replicas>two', 'a,,b'])(
    'rejects %s with 400',
    selector => {
      expect(() => parseLabelSelector(selector)).toThrow(
        expect.objectContaining({ code: 400 }),
      );
    },
  );
});

describe('parseFieldSelector', () => {
  it('parses =, == and != with escapes', () => {
    expect(
      parseFieldSelector(
        'metadata.name=a,status.phase!=Running,spec.nodeName==n\\,1',
      ),
    ).toEqual([
      { field: 'metadata.name', value: 'a', negate: false },
      { field: 'status.phase', value: 'Running', negate: true },
      { field: 'spec.nodeName', value: 'n,1', negate: false },
    ]);
  });

  it('matches against field values', () => {
    const fields = { 'metadata.name': 'a', 'status.phase': 'Pending' };
    expect(
      fieldsMatch(
        parseFieldSelector('metadata.name=a,status.phase!=Running'),
        fields,
      ),
    ).toBe(true);
    expect(
      fieldsMatch(parseFieldSelector('status.phase=Running'), fields),
    ).toBe(false);
  });

  it('rejects a requirement without an operator', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      expect.objectContaining({ code: 400 }),
    );
  });
});
