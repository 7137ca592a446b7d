import {
  boolean,
  count,
  INVALID,
  list,
  number,
  object,
  oneOf,
  optional,
  partialRecord,
  string,
  stringRecord,
} from './lenient';

describe('lenient schemas', () => {
  const port = object({
    name: optional(string()),
    port: number(),
    ready: count(),
    tls: boolean().or(false),
  });

  it('returns a conforming value as it is, without copying', () => {
    const value = { name: 'http', port: 80, ready: 2, tls: true };
    expect(port.parse(value)).toBe(value);
    const items = [value, { port: 443, ready: 0, tls: false }];
    expect(list(port).parse(items)).toBe(items);
    const frozen = Object.freeze({ port: 1, ready: 1, tls: false });
    expect(port.parse(frozen)).toBe(frozen);
  });

  it('repairs what it can and drops what it cannot', () => {
    expect(
      port.parse({ name: 42, port: '8080', ready: -3.5, tls: 'true', x: 1 }),
    ).toEqual({ name: '42', port: 8080, ready: 0, tls: true });
    expect(port.parse({ port: { value: 9 }, ready: 2.7 })).toEqual({
      port: 9,
      ready: 2,
      tls: false,
    });
    // A required field that cannot be read invalidates the object; a list drops it.
    expect(port.parse({ name: 'x' })).toBe(INVALID);
    expect(list(port).parse([{ port: 1 }, null, 'x', { name: 'y' }])).toEqual([
      { port: 1, ready: 0, tls: false },
    ]);
    expect(list(port).parse('nope')).toBe(INVALID);
    expect(list(port).or([]).parse('nope')).toEqual([]);
  });

  it('leaves out optional fields that are missing, unusable or undefined', () => {
    const value = { port: 1, ready: 0, tls: false, name: undefined };
    const parsed = port.parse(value);
    expect(parsed).not.toBe(value);
    expect(Object.keys(parsed as object)).toEqual(['port', 'ready', 'tls']);
    expect(port.parse({ port: 1, name: '' })).toEqual({
      port: 1,
      ready: 0,
      tls: false,
    });
  });

  it('keeps the first of duplicate keys, or merges them', () => {
    const ns = object({ name: string(), onboarded: boolean().or(false) });
    const items = [
      { name: 'a', onboarded: false },
      { name: 'b', onboarded: true },
      { name: 'a', onboarded: true },
    ];
    expect(list(ns, { key: n => n.name }).parse(items)).toEqual(
      items.slice(0, 2),
    );
    expect(
      list(ns, {
        key: n => n.name,
        merge: (kept, other) => (other.onboarded ? other : kept),
      }).parse(items),
    ).toEqual([
      { name: 'a', onboarded: true },
      { name: 'b', onboarded: true },
    ]);
  });

  it('reads string records, enums and partial records', () => {
    const labels = { app: 'x' };
    expect(stringRecord().parse(labels)).toBe(labels);
    expect(stringRecord().parse({ a: 1, b: true, c: {}, d: 'd' })).toEqual({
      a: '1',
      b: 'true',
      d: 'd',
    });
    expect(
      oneOf(['a', 'b'] as const)
        .or('a')
        .parse('c'),
    ).toBe('a');
    const xds = partialRecord(['CDS', 'EDS'] as const, oneOf(['ok'] as const));
    const good = { CDS: 'ok' };
    expect(xds.parse(good)).toBe(good);
    expect(xds.parse({ CDS: 'ok', EDS: 'bad', LDS: 'ok' })).toEqual({
      CDS: 'ok',
    });
  });

  it('lets a fix adjust the result, and keeps identity when it does not', () => {
    const nodes = object({ total: count(), listed: list(string()).or([]) }, n =>
      n.total >= n.listed.length ? n : { ...n, total: n.listed.length },
    );
    const ok = { total: 3, listed: ['a'] };
    expect(nodes.parse(ok)).toBe(ok);
    expect(nodes.parse({ total: 0, listed: ['a', 'b'] })).toEqual({
      total: 2,
      listed: ['a', 'b'],
    });
  });
});
