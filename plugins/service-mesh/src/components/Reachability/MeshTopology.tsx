import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type { ReachabilityMatrix } from '@internal/plugin-service-mesh-common';
import { SectionCard } from '../SectionCard';
import {
  CHIP_H,
  GATEWAY_H,
  HEADER,
  layoutTopology,
  type LinkState,
  PAD,
  type TopologyLink,
} from './topologyLayout';

const useStyles = makeStyles(theme => ({
  figure: { margin: 0, padding: theme.spacing(1, 2, 2) },
  svg: { display: 'block', width: '100%', height: 'auto', margin: '0 auto' },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    margin: theme.spacing(1, 0, 0),
    padding: 0,
    listStyle: 'none',
  },
  swatch: {
    display: 'inline-block',
    width: 24,
    height: 0,
    verticalAlign: 'middle',
    marginRight: theme.spacing(0.5),
    borderTopWidth: 3,
  },
  list: { margin: theme.spacing(1, 0, 0), paddingLeft: theme.spacing(3) },
}));

const STATE_TEXT: Record<LinkState, string> = {
  ok: 'reachable',
  partial: 'partly reachable',
  blocked: 'cut off',
};

function networkName(network: string): string {
  return network || 'no network';
}

export function linkText(l: TopologyLink): string {
  return `${networkName(l.from)} → ${networkName(l.to)}: ${
    STATE_TEXT[l.state]
  } (${l.reachable} of ${l.total} cluster pairs)`;
}

export interface MeshTopologyProps {
  matrix: ReachabilityMatrix;
}

/** The mesh's networks, their clusters and east-west gateways, and which network reaches which. */
export function MeshTopology(props: MeshTopologyProps) {
  const classes = useStyles();
  const theme = useTheme();
  const layout = layoutTopology(props.matrix);
  const colour: Record<LinkState, string> = {
    ok: theme.palette.status.ok,
    partial: theme.palette.status.warning,
    blocked: theme.palette.status.error,
  };
  const text = theme.palette.text.primary;
  const muted = theme.palette.text.secondary;
  const paper = theme.palette.background.paper;
  const boxFill = theme.palette.background.default;
  const problems = layout.links.filter(l => l.state !== 'ok');
  const cutOff = layout.networks.filter(n => n.cutOff).map(n => n.network);

  return (
    <SectionCard
      title="Mesh topology"
      subheader={
        layout.networks.length > 1
          ? `Clusters grouped by network; arrows: whether the clusters of one network reach those of another (through east-west gateways).${
              cutOff.length
                ? ` Cut off: ${cutOff.map(networkName).join(', ')}.`
                : ''
            }`
          : 'One network: clusters reach each other directly, without east-west gateways.'
      }
      noPadding
    >
      <figure className={classes.figure}>
        <svg
          className={classes.svg}
          // At most a little larger than drawn, so text keeps its size on a wide card.
          style={{ maxWidth: Math.ceil(layout.width * 1.15) }}
          viewBox={`0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`}
          role="img"
          aria-label={`Mesh topology: ${layout.networks
            .map(
              n =>
                `${networkName(n.network)} (${n.clusters
                  .map(c => c.cluster)
                  .join(', ')})${n.cutOff ? ', cut off' : ''}`,
            )
            .join('; ')}`}
          fontFamily={theme.typography.fontFamily}
          fontSize={12}
        >
          <defs>
            {(['ok', 'partial', 'blocked'] as const).map(s => (
              <marker
                key={s}
                id={`mesh-topology-arrow-${s}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" fill={colour[s]} />
              </marker>
            ))}
          </defs>
          {layout.links.map(l => (
            <line
              key={`${l.from}>${l.to}`}
              data-link={`${l.from}>${l.to}`}
              data-state={l.state}
              x1={l.x1}
              y1={l.y1}
              x2={l.x2}
              y2={l.y2}
              stroke={colour[l.state]}
              strokeWidth={l.state === 'ok' ? 2 : 2.5}
              strokeDasharray={l.state === 'blocked' ? '6 4' : undefined}
              markerEnd={`url(#mesh-topology-arrow-${l.state})`}
            >
              <title>{linkText(l)}</title>
            </line>
          ))}
          {layout.networks.map(n => (
            <g key={n.network} data-network={n.network}>
              <rect
                x={n.x}
                y={n.y}
                width={n.width}
                height={n.height}
                rx={8}
                fill={boxFill}
                stroke={n.cutOff ? colour.blocked : muted}
                strokeWidth={n.cutOff ? 2.5 : 1}
                strokeDasharray={n.cutOff ? '6 4' : undefined}
              />
              <text
                x={n.x + PAD}
                y={n.y + HEADER - 6}
                fill={text}
                fontWeight={700}
                fontSize={13}
              >
                {networkName(n.network)}
                {n.cutOff ? ' — cut off' : ''}
                {n.blockedInside
                  ? ` — ${n.blockedInside} pair${
                      n.blockedInside === 1 ? '' : 's'
                    } inside blocked`
                  : ''}
              </text>
              {n.clusters.map(c => (
                <g key={c.cluster} data-cluster={c.cluster}>
                  <rect
                    x={c.x}
                    y={c.y}
                    width={c.width}
                    height={c.height}
                    rx={4}
                    fill={paper}
                    stroke={c.cutOff ? colour.blocked : muted}
                  />
                  <text x={c.x + 8} y={c.y + CHIP_H / 2 + 4} fill={text}>
                    {c.cluster.length > 16
                      ? `${c.cluster.slice(0, 15)}…`
                      : c.cluster}
                  </text>
                  <title>{c.cluster}</title>
                </g>
              ))}
              {n.gateways.map(g => (
                <g
                  key={`${g.gateway.cluster}/${g.gateway.name}`}
                  data-gateway={g.gateway.cluster}
                  data-healthy={g.healthy}
                >
                  <rect
                    x={g.x}
                    y={g.y}
                    width={g.width}
                    height={g.height}
                    rx={12}
                    fill={paper}
                    stroke={g.healthy ? colour.ok : colour.blocked}
                    strokeWidth={2}
                    strokeDasharray={g.healthy ? undefined : '4 3'}
                  />
                  <text
                    x={g.x + 10}
                    y={g.y + GATEWAY_H / 2 + 4}
                    fill={text}
                    fontSize={11}
                  >
                    {g.healthy ? '◆ ' : '◇ '}
                    {g.label}
                  </text>
                  <title>
                    East-west gateway {g.gateway.name} of {g.gateway.cluster}
                  </title>
                </g>
              ))}
            </g>
          ))}
        </svg>
        <figcaption>
          {layout.networks.length > 1 && (
            <ul className={classes.legend} aria-label="Legend">
              {(['ok', 'partial', 'blocked'] as const).map(s => (
                <li key={s}>
                  <span
                    aria-hidden="true"
                    className={classes.swatch}
                    style={{
                      borderTopColor: colour[s],
                      borderTopStyle: s === 'blocked' ? 'dashed' : 'solid',
                    }}
                  />
                  <Typography variant="caption">
                    {
                      {
                        ok: 'every cluster pair reaches',
                        partial: 'some cluster pairs reach',
                        blocked: 'no cluster pair reaches',
                      }[s]
                    }
                  </Typography>
                </li>
              ))}
            </ul>
          )}
          {problems.length > 0 && (
            <ul className={classes.list} aria-label="Networks not reached">
              {problems.map(l => (
                <li key={`${l.from}>${l.to}`}>
                  <Typography variant="body2">{linkText(l)}</Typography>
                </li>
              ))}
            </ul>
          )}
        </figcaption>
      </figure>
    </SectionCard>
  );
}
