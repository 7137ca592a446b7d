import { emptyData, policy } from '../__testUtils__/fixtures';
import {
  effectiveMtlsMode,
  effectiveMtlsPolicy,
  peerAuthenticationsInForce,
  weakestMtlsMode,
} from './peerAuthentication';

const pa = (
  namespace: string,
  name: string,
  mode: string | undefined,
  matchLabels?: Record<string, string>,
  creationTimestamp?: string,
) =>
  policy(
    'PeerAuthentication',
    namespace,
    name,
    {
      ...(matchLabels ? { selector: { matchLabels } } : {}),
      ...(mode ? { mtls: { mode } } : {}),
    },
    creationTimestamp,
  );

describe('effectiveMtlsMode', () => {
  it('defaults to PERMISSIVE when nothing is set', () => {
    expect(effectiveMtlsMode(emptyData(), 'shop')).toBe('PERMISSIVE (default)');
  });

  it('takes the most specific scope: workload > namespace > root namespace', () => {
    const data = emptyData({
      peerAuthentications: [
        pa('istio-system', 'default', 'STRICT'),
        pa('shop', 'default', 'PERMISSIVE'),
        pa('shop', 'legacy', 'DISABLE', { app: 'legacy' }),
      ],
    });
    expect(effectiveMtlsMode(data, 'other')).toBe('STRICT');
    expect(effectiveMtlsMode(data, 'shop')).toBe('PERMISSIVE');
    expect(effectiveMtlsMode(data, 'shop', { app: 'cart' })).toBe('PERMISSIVE');
    expect(
      effectiveMtlsMode(data, 'shop', { app: 'legacy', version: 'v1' }),
    ).toBe('DISABLE');
  });

  it('lets UNSET (or no mtls) inherit from the wider scope', () => {
    const data = emptyData({
      peerAuthentications: [
        pa('istio-system', 'default', 'STRICT'),
        pa('shop', 'default', 'UNSET'),
        pa('shop', 'cart', undefined, { app: 'cart' }),
      ],
    });
    expect(effectiveMtlsMode(data, 'shop', { app: 'cart' })).toBe('STRICT');
  });

  it('ignores a root-namespace policy with a selector for other namespaces', () => {
    const data = emptyData({
      peerAuthentications: [pa('istio-system', 'gw', 'DISABLE', { app: 'x' })],
    });
    expect(effectiveMtlsMode(data, 'shop', { app: 'x' })).toBe(
      'PERMISSIVE (default)',
    );
  });

  it('tolerates malformed data', () => {
    expect(effectiveMtlsMode({} as any, 'shop')).toBe('PERMISSIVE (default)');
    expect(
      effectiveMtlsMode(
        { peerAuthentications: [null, 3, { namespace: 'shop' }] } as any,
        'shop',
      ),
    ).toBe('PERMISSIVE (default)');
  });

  // ComposePeerAuthentication selects the oldest policy of each level, whatever its mode; an UNSET mode then
  // inherits from the wider level (it does not fall through to a newer policy of the same level).
  it('selects the oldest policy per level, even when its mode is UNSET', () => {
    const data = emptyData({
      peerAuthentications: [
        pa('shop', 'a-newer', 'DISABLE', undefined, '2025-01-02T00:00:00Z'),
        pa('shop', 'z-older', 'UNSET', undefined, '2025-01-01T00:00:00Z'),
        pa('istio-system', 'mesh', 'STRICT'),
      ],
    });
    const decision = effectiveMtlsPolicy(data, 'shop');
    expect(decision.mode).toBe('STRICT');
    expect(decision.source?.name).toBe('mesh');
    expect(decision.namespace?.name).toBe('z-older');
    expect(peerAuthenticationsInForce(decision).map(p => p.name)).toEqual([
      'mesh',
      'z-older',
    ]);
  });

  it('prefers the older of two workload policies, and reads port-level modes', () => {
    const data = emptyData({
      peerAuthentications: [
        {
          ...pa(
            'shop',
            'b',
            'DISABLE',
            { app: 'cart' },
            '2025-01-01T00:00:00Z',
          ),
          spec: {
            selector: { matchLabels: { app: 'cart' } },
            mtls: { mode: 'DISABLE' },
            portLevelMtls: { '8080': { mode: 'STRICT' }, '9090': {} },
          },
        },
        pa('shop', 'a', 'STRICT', { app: 'cart' }, '2025-03-01T00:00:00Z'),
      ],
    });
    const decision = effectiveMtlsPolicy(data, 'shop', { app: 'cart' });
    expect(decision.mode).toBe('DISABLE');
    expect(decision.workload?.name).toBe('b');
    expect(decision.perPort).toEqual({ '8080': 'STRICT', '9090': 'DISABLE' });
  });

  it('treats the root namespace of the mesh config as the mesh-wide one', () => {
    const data = emptyData({
      meshConfigs: [
        {
          revision: 'default',
          namespace: 'istio-system',
          configMap: 'istio',
          rootNamespace: 'mesh-root',
        },
      ],
      peerAuthentications: [
        pa('mesh-root', 'default', 'STRICT'),
        pa('istio-system', 'default', 'DISABLE'),
      ],
    });
    expect(effectiveMtlsMode(data, 'shop')).toBe('STRICT');
    expect(effectiveMtlsMode(data, 'istio-system')).toBe('DISABLE');
    // In the root namespace itself only the mesh-wide policy counts.
    expect(effectiveMtlsMode(data, 'mesh-root', { app: 'x' })).toBe('STRICT');
  });
});

describe('weakestMtlsMode', () => {
  it('takes the weakest mode an entity exposes', () => {
    expect(weakestMtlsMode(['STRICT', 'PERMISSIVE', 'STRICT'])).toBe(
      'PERMISSIVE',
    );
    expect(weakestMtlsMode(['STRICT', 'DISABLE'])).toBe('DISABLE');
    expect(weakestMtlsMode(['STRICT'])).toBe('STRICT');
    expect(weakestMtlsMode([])).toBe('PERMISSIVE (default)');
  });
});
