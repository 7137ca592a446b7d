import { demoOverview } from '../../__fixtures__';
import { layoutTopology, type Rect } from './topologyLayout';
import { syntheticMatrix } from './testMatrix';

function overlaps(a: Rect, b: Rect): boolean {
  return (
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}

function inside(inner: Rect, outer: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** Every box inside the view, no two boxes overlapping, every chip inside its box and apart from the others. */
function expectReadable(layout: ReturnType<typeof layoutTopology>) {
  const view = { x: 0, y: 0, width: layout.width, height: layout.height };
  layout.networks.forEach((n, i) => {
    expect(inside(n, view)).toBe(true);
    layout.networks
      .slice(i + 1)
      .forEach(m => expect(overlaps(n, m)).toBe(false));
    const chips = [...n.clusters, ...n.gateways];
    chips.forEach((c, k) => {
      expect(inside(c, n)).toBe(true);
      chips.slice(k + 1).forEach(d => expect(overlaps(c, d)).toBe(false));
    });
  });
  for (const l of layout.links) {
    for (const v of [l.x1, l.x2]) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of [l.x1, l.x2]) expect(v).toBeLessThanOrEqual(layout.width);
    for (const v of [l.y1, l.y2]) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of [l.y1, l.y2]) expect(v).toBeLessThanOrEqual(layout.height);
  }
}

describe('layoutTopology', () => {
  it("shows the demo's network3 cut off: nothing reaches it, it reaches both others", () => {
    const layout = layoutTopology(demoOverview.reachability);
    expectReadable(layout);
    expect(layout.networks.map(n => [n.network, n.cutOff])).toEqual([
      ['network1', false],
      ['network2', false],
      ['network3', true],
    ]);
    const state = (from: string, to: string) =>
      layout.links.find(l => l.from === from && l.to === to)?.state;
    expect(state('network1', 'network3')).toBe('blocked');
    expect(state('network2', 'network3')).toBe('blocked');
    expect(state('network3', 'network1')).toBe('ok');
    expect(state('network1', 'network2')).toBe('ok');
    expect(layout.links).toHaveLength(6);
    const gateway3 = layout.networks[2].gateways[0];
    expect(gateway3.healthy).toBe(false);
    expect(layout.networks[2].clusters[0].cutOff).toBe(true);
  });

  it.each([
    [20, 20],
    [20, 5],
    [20, 2],
    [3, 3],
  ])('reads well at %i clusters on %i networks', (clusters, networks) => {
    const matrix = syntheticMatrix(clusters, networks, 'network-2');
    const layout = layoutTopology(matrix);
    expectReadable(layout);
    expect(layout.networks).toHaveLength(networks);
    expect(
      layout.networks.flatMap(n => n.clusters.map(c => c.cluster)).sort(),
    ).toEqual([...matrix.clusters].sort());
    // One arrow per ordered pair of networks; nothing reaches network-2.
    expect(layout.links).toHaveLength(networks * (networks - 1));
    expect(
      layout.links.filter(l => l.to === 'network-2').map(l => l.state),
    ).toEqual(Array(networks - 1).fill('blocked'));
    expect(layout.networks.filter(n => n.cutOff).map(n => n.network)).toEqual([
      'network-2',
    ]);
    // The picture keeps a sane aspect ratio (no strip of boxes).
    expect(layout.width / layout.height).toBeLessThan(4);
    expect(layout.height / layout.width).toBeLessThan(4);
  });

  it('reads well at 20 clusters on one network, without arrows', () => {
    const layout = layoutTopology(syntheticMatrix(20, 1));
    expectReadable(layout);
    expect(layout.networks[0].clusters).toHaveLength(20);
    expect(layout.links).toEqual([]);
    expect(layout.networks[0].cutOff).toBe(false);
    expect(layout.width / layout.height).toBeLessThan(4);
    expect(layout.height / layout.width).toBeLessThan(4);
  });

  it('marks a link partial when only some cluster pairs reach', () => {
    const matrix = syntheticMatrix(4, 2);
    const pair = matrix.pairs.find(
      p => p.from === 'cluster-1' && p.to === 'cluster-2',
    )!;
    pair.outcome = 'excluded';
    const layout = layoutTopology(matrix);
    const link = layout.links.find(
      l => l.from === 'network-1' && l.to === 'network-2',
    )!;
    expect([link.state, link.reachable, link.total]).toEqual(['partial', 3, 4]);
    expect(layout.networks.some(n => n.cutOff)).toBe(false);
  });
});
