/*
 * The topology picture's geometry (pure, so it is tested at 3 and at 20 clusters): one box per network holding
 * its clusters and east-west gateways; boxes on a ring (side by side for two); between two networks, one arrow
 * per direction coloured by what the model says of the cluster pairs from one network to the other.
 */
import type {
  NetworkGatewayView,
  ReachabilityMatrix,
} from '@internal/plugin-service-mesh-common';

export const CHIP_W = 120;
export const CHIP_H = 28;
export const GAP = 8;
export const PAD = 12;
export const HEADER = 28;
export const GATEWAY_H = 24;
const MAX_COLUMNS = 3;
/** The smallest space between two boxes, for the arrows and their heads. */
const SPACING = 90;

/** ok: every cluster pair reaches; partial: some do; blocked: none does. */
export type LinkState = 'ok' | 'partial' | 'blocked';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ClusterChip extends Rect {
  cluster: string;
  /** No cluster of another network reaches it (multi-network meshes only). */
  cutOff: boolean;
}

export interface GatewayChip extends Rect {
  gateway: NetworkGatewayView;
  healthy: boolean;
  /** "cluster1: gateway 192.0.2.11:15443", "cluster3: no address (MESH032)". */
  label: string;
}

export interface NetworkBox extends Rect {
  network: string;
  clusters: ClusterChip[];
  gateways: GatewayChip[];
  /** Ordered cluster pairs inside the network that do not reach each other. */
  blockedInside: number;
  /** Other networks exist and none of their clusters reaches any of this network's clusters. */
  cutOff: boolean;
}

export interface TopologyLink {
  from: string;
  to: string;
  state: LinkState;
  /** Cluster pairs from → to that reach, of all. */
  reachable: number;
  total: number;
  /** The arrow, from the source box's edge to the destination box's edge, offset to its side of the pair. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface TopologyLayout {
  width: number;
  height: number;
  networks: NetworkBox[];
  links: TopologyLink[];
}

const GATEWAY_PROBLEM: Record<string, string> = {
  MESH031: 'not ready',
  MESH032: 'no address',
  MESH033: 'no mTLS port',
  MESH034: 'no AUTO_PASSTHROUGH',
  MESH035: 'no network label',
  MESH036: 'hostname dropped',
};

export function gatewayHealthy(g: NetworkGatewayView): boolean {
  return g.published && g.ready && g.passthrough !== false;
}

export function gatewayLabel(g: NetworkGatewayView): string {
  if (gatewayHealthy(g))
    return `${g.cluster}: gateway ${g.addresses[0] ?? ''}:${g.port}`;
  const problems = g.problems.length
    ? g.problems.map(c => `${GATEWAY_PROBLEM[c] ?? c} (${c})`).join(', ')
    : 'gateway not usable';
  return `${g.cluster}: ${problems}`;
}

/** Width of a label at the gateway chips' 11px (an average glyph of 6.6px, plus the marker and padding). */
function labelWidth(label: string): number {
  return Math.ceil(label.length * 6.6) + 28;
}

function boxSize(clusters: number, gatewayLabels: string[]) {
  const gateways = gatewayLabels.length;
  // Taller than wide: boxes sit side by side or on a ring.
  const columns = Math.max(
    1,
    Math.min(clusters, MAX_COLUMNS, Math.ceil(Math.sqrt(clusters / 2.5))),
  );
  const rows = Math.max(1, Math.ceil(clusters / columns));
  const width = PAD * 2 + columns * CHIP_W + (columns - 1) * GAP;
  const height =
    HEADER +
    rows * CHIP_H +
    (rows - 1) * GAP +
    gateways * (GATEWAY_H + GAP) +
    PAD * 2;
  const widest = Math.max(0, ...gatewayLabels.map(labelWidth)) + PAD * 2;
  return { columns, width: Math.max(width, widest, 200), height };
}

/** Where the segment from the box's centre towards (tx, ty) leaves the box. */
function edgePoint(r: Rect, tx: number, ty: number) {
  const cx = r.x + r.width / 2;
  const cy = r.y + r.height / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const scale = Math.min(
    dx === 0 ? Infinity : r.width / 2 / Math.abs(dx),
    dy === 0 ? Infinity : r.height / 2 / Math.abs(dy),
  );
  return { x: cx + dx * scale, y: cy + dy * scale };
}

function centres(sizes: Array<{ width: number; height: number }>) {
  const n = sizes.length;
  if (n === 1) return [{ x: sizes[0].width / 2, y: sizes[0].height / 2 }];
  if (n === 2) {
    return [
      { x: sizes[0].width / 2, y: 0 },
      { x: sizes[0].width + SPACING * 2 + sizes[1].width / 2, y: 0 },
    ];
  }
  // Adjacent boxes on the ring are at least their diagonal plus the spacing apart.
  const diagonal = Math.max(...sizes.map(s => Math.hypot(s.width, s.height)));
  const radius = (diagonal + SPACING) / (2 * Math.sin(Math.PI / n));
  return sizes.map((_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
  });
}

export function layoutTopology(matrix: ReachabilityMatrix): TopologyLayout {
  const networks = matrix.networks.length
    ? matrix.networks
    : [{ network: '', clusters: matrix.clusters, gateways: [] }];
  const networkOf = new Map<string, string>();
  for (const n of networks)
    for (const c of n.clusters) networkOf.set(c, n.network);

  // Cluster pairs between (and inside) networks, by outcome.
  const counts = new Map<string, { reachable: number; total: number }>();
  const inbound = new Map<string, number>();
  for (const p of matrix.pairs) {
    if (p.from === p.to) continue;
    const key = `${networkOf.get(p.from)}\u0000${networkOf.get(p.to)}`;
    const c = counts.get(key) ?? { reachable: 0, total: 0 };
    c.total += 1;
    if (p.outcome === 'reachable') {
      c.reachable += 1;
      if (networkOf.get(p.from) !== networkOf.get(p.to))
        inbound.set(p.to, (inbound.get(p.to) ?? 0) + 1);
    }
    counts.set(key, c);
  }
  const multi = networks.length > 1;

  const sizes = networks.map(n =>
    boxSize(n.clusters.length, n.gateways.map(gatewayLabel)),
  );
  const at = centres(sizes);
  const boxes: NetworkBox[] = networks.map((n, i) => {
    const { columns, width, height } = sizes[i];
    const x = at[i].x - width / 2;
    const y = at[i].y - height / 2;
    const clusters = n.clusters.map((cluster, k) => ({
      cluster,
      x: x + PAD + (k % columns) * (CHIP_W + GAP),
      y: y + HEADER + PAD + Math.floor(k / columns) * (CHIP_H + GAP),
      width: CHIP_W,
      height: CHIP_H,
      cutOff: multi && !inbound.get(cluster),
    }));
    const rows = Math.max(1, Math.ceil(n.clusters.length / columns));
    const gatewaysTop = y + HEADER + PAD + rows * (CHIP_H + GAP);
    const gateways = n.gateways.map((gateway, k) => ({
      gateway,
      healthy: gatewayHealthy(gateway),
      label: gatewayLabel(gateway),
      x: x + PAD,
      y: gatewaysTop + k * (GATEWAY_H + GAP),
      width: width - PAD * 2,
      height: GATEWAY_H,
    }));
    const inside = counts.get(`${n.network}\u0000${n.network}`);
    const fromOthers = networks
      .filter(o => o.network !== n.network)
      .map(o => counts.get(`${o.network}\u0000${n.network}`));
    return {
      network: n.network,
      x,
      y,
      width,
      height,
      clusters,
      gateways,
      blockedInside: inside ? inside.total - inside.reachable : 0,
      cutOff:
        fromOthers.length > 0 && fromOthers.every(c => !c || c.reachable === 0),
    };
  });

  const links: TopologyLink[] = [];
  for (const a of boxes) {
    for (const b of boxes) {
      if (a === b) continue;
      const c = counts.get(`${a.network}\u0000${b.network}`);
      if (!c || c.total === 0) continue;
      const ax = a.x + a.width / 2;
      const ay = a.y + a.height / 2;
      const bx = b.x + b.width / 2;
      const by = b.y + b.height / 2;
      // Each direction on its own side of the line between the centres (to the right of travel).
      const length = Math.hypot(bx - ax, by - ay) || 1;
      const ox = (-(by - ay) / length) * 5;
      const oy = ((bx - ax) / length) * 5;
      const start = edgePoint(a, bx, by);
      const end = edgePoint(b, ax, ay);
      let state: LinkState = 'partial';
      if (c.reachable === c.total) state = 'ok';
      else if (c.reachable === 0) state = 'blocked';
      links.push({
        from: a.network,
        to: b.network,
        state,
        reachable: c.reachable,
        total: c.total,
        x1: start.x + ox,
        y1: start.y + oy,
        x2: end.x + ox,
        y2: end.y + oy,
      });
    }
  }

  // Shift everything to a positive view box with a margin.
  const margin = 16;
  const minX = Math.min(...boxes.map(b => b.x)) - margin;
  const minY = Math.min(...boxes.map(b => b.y)) - margin;
  const maxX = Math.max(...boxes.map(b => b.x + b.width)) + margin;
  const maxY = Math.max(...boxes.map(b => b.y + b.height)) + margin;
  const move = <T extends Rect>(r: T): T => ({
    ...r,
    x: r.x - minX,
    y: r.y - minY,
  });
  return {
    width: maxX - minX,
    height: maxY - minY,
    networks: boxes.map(b => ({
      ...move(b),
      clusters: b.clusters.map(move),
      gateways: b.gateways.map(move),
    })),
    links: links.map(l => ({
      ...l,
      x1: l.x1 - minX,
      y1: l.y1 - minY,
      x2: l.x2 - minX,
      y2: l.y2 - minY,
    })),
  };
}
