import { emptyData, policy } from '../__testUtils__/fixtures';
import { effectiveMtlsMode } from './peerAuthentication';

const pa = (
  namespace: string,
  name: string,
  mode: string | undefined,
  matchLabels?: Record<string, string>,
) =>
  policy('PeerAuthentication', namespace, name, {
    ...(matchLabels ? { selector: { matchLabels } } : {}),
    ...(mode ? { mtls: { mode } } : {}),
  });

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
});
