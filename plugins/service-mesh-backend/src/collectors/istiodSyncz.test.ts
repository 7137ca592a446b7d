import { JsonArraySplitter, proxyRow, SynczReducer } from './istiodSyncz';

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener';
const EDS =
  'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';

function entry(
  id: string,
  resources: Record<string, object>,
  version = '1.22.4',
) {
  return {
    cluster_id: 'c1',
    proxy: id,
    proxy_type: 'sidecar',
    istio_version: version,
    resources,
  };
}
const synced = { sent: 'n1', acked: 'n1', sentTime: '2026-06-01T00:09:00Z' };

describe('JsonArraySplitter', () => {
  it('splits elements across chunk boundaries, strings with brackets and escapes, and multi-byte characters', () => {
    const items = [{ a: '],[{"' }, { b: [1, { c: 'é\\"' }] }, 3, 'x'];
    const text = Buffer.from(JSON.stringify(items));
    for (const size of [1, 2, 3, 7, text.length]) {
      const out: unknown[] = [];
      const s = new JsonArraySplitter(t => out.push(JSON.parse(t)));
      for (let i = 0; i < text.length; i += size)
        s.write(text.subarray(i, i + size));
      s.end();
      expect(out).toEqual(items);
    }
  });

  it('rejects a body that is not an array, is cut off, or has trailing data', () => {
    const run = (body: string) => {
      const s = new JsonArraySplitter(() => {});
      s.write(Buffer.from(body));
      s.end();
    };
    expect(() => run('{"a":1}')).toThrow(/not a JSON array/);
    expect(() => run('[{"a":1},{"b"')).toThrow(/cut off/);
    expect(() => run('[1] x')).toThrow(/after the JSON array/);
    expect(() => run('')).toThrow(/not a JSON array/);
    expect(() => run(' [ ] ')).not.toThrow();
  });
});

describe('proxyRow', () => {
  it('derives SYNCED, STALE, NOT SENT and ERROR as istiod does', () => {
    const row = proxyRow(
      entry('web-1.shop', {
        [CDS]: synced,
        [LDS]: { sent: 'n2', acked: 'n1', sentTime: '2026-06-01T00:01:00Z' },
        [EDS]: { sentTime: '0001-01-01T00:00:00Z' },
        'type.googleapis.com/envoy.config.route.v3.RouteConfiguration': {
          sent: 'n3',
          acked: 'n2',
          sentTime: '2026-06-01T00:02:00Z',
          lastError: 'rejected',
        },
        'type.googleapis.com/istio.workload.Address': synced,
      }),
    )!;
    expect(row).toMatchObject({
      pod: 'web-1',
      namespace: 'shop',
      clusterId: 'c1',
      version: '1.22.4',
    });
    expect(row.xds).toEqual({
      CDS: { state: 'SYNCED', since: '2026-06-01T00:09:00Z' },
      LDS: { state: 'STALE', since: '2026-06-01T00:01:00Z' },
      // never pushed: waiting at least since the proxy's first push of any type
      EDS: { state: 'NOT SENT', since: '2026-06-01T00:01:00Z' },
      RDS: { state: 'ERROR', since: '2026-06-01T00:02:00Z', error: 'rejected' },
    });
  });

  it('reads the legacy nonce fields of older istiod releases, and pod names with dots', () => {
    const row = proxyRow({
      proxy: 'a.b.ns',
      cluster_sent: 'x',
      cluster_acked: 'x',
      listener_sent: 'y',
      listener_acked: 'z',
    })!;
    expect(row).toMatchObject({ pod: 'a.b', namespace: 'ns' });
    expect(row.xds).toEqual({
      CDS: { state: 'SYNCED' },
      LDS: { state: 'STALE' },
    });
    expect(proxyRow({})).toBeUndefined();
    expect(proxyRow('x')).toBeUndefined();
  });
});

describe('SynczReducer', () => {
  it('counts per namespace and version, keeps only problem rows, worst and oldest first, capped', () => {
    const r = new SynczReducer(2);
    r.add(entry('ok-1.shop', { [CDS]: synced }));
    r.add(
      entry(
        'old.shop',
        {
          [CDS]: synced,
          [EDS]: { sent: 'b', acked: 'a', sentTime: '2026-06-01T00:00:00Z' },
        },
        '1.20.1',
      ),
    );
    r.add(
      entry('new.shop', {
        [CDS]: synced,
        [EDS]: { sent: 'b', acked: 'a', sentTime: '2026-06-01T00:08:00Z' },
      }),
    );
    r.add(
      entry('bad.pay', {
        [CDS]: {
          sent: 'b',
          acked: 'a',
          sentTime: '2026-06-01T00:09:00Z',
          lastError: 'nack',
        },
      }),
    );
    r.add('garbage');
    const result = r.result();
    expect(result).toMatchObject({ total: 4, synced: 1, rowsTotal: 3 });
    expect(result.rows.map(x => x.pod)).toEqual(['bad', 'old']);
    expect(result.byNamespace).toEqual([
      {
        clusterId: 'c1',
        namespace: 'pay',
        proxies: 1,
        synced: 0,
        stale: 0,
        notSent: 0,
        error: 1,
      },
      {
        clusterId: 'c1',
        namespace: 'shop',
        proxies: 3,
        synced: 1,
        stale: 2,
        notSent: 0,
        error: 0,
      },
    ]);
    expect(result.versions).toEqual([
      { version: '1.20.1', proxies: 1 },
      { version: '1.22.4', proxies: 3 },
    ]);
  });
});
