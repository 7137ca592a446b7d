// A dependency-free SVG line chart: panels side by side, log-scaled axes, a shared legend.
const W = 480;
const H = 400;
const M = { left: 64, right: 16, top: 40, bottom: 72 };
const COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
];

const esc = s =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function logTicks(min, max) {
  const ticks = [];
  for (
    let e = Math.floor(Math.log10(min));
    e <= Math.ceil(Math.log10(max));
    e++
  ) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= min / 1.0001 && v <= max * 1.0001) ticks.push(v);
    }
  }
  return ticks;
}

function fmt(v) {
  if (v >= 1000) return `${+(v / 1000).toFixed(1)}k`;
  if (v >= 1) return `${+v.toFixed(1)}`;
  return `${+v.toPrecision(1)}`;
}

/**
 * One panel. series: [{ name, color, dashed, points: [[x, y]] }]; x and y are log-scaled.
 */
function panel({ title, xLabel, yLabel, series, xTicks }, offsetX) {
  const xs = series.flatMap(s => s.points.map(p => p[0]));
  const ys = series.flatMap(s => s.points.map(p => p[1])).filter(y => y > 0);
  const xMin = Math.min(...xs) / 1.3;
  const xMax = Math.max(...xs) * 1.3;
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = x =>
    offsetX +
    M.left +
    ((Math.log10(x) - Math.log10(xMin)) /
      (Math.log10(xMax) - Math.log10(xMin))) *
      pw;
  const sy = y =>
    M.top +
    ph -
    ((Math.log10(y) - Math.log10(yMin)) /
      (Math.log10(yMax) - Math.log10(yMin))) *
      ph;
  const out = [];
  out.push(
    `<text x="${
      offsetX + W / 2
    }" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(
      title,
    )}</text>`,
  );
  out.push(
    `<rect x="${offsetX + M.left}" y="${
      M.top
    }" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
  );
  for (const t of logTicks(yMin, yMax)) {
    const y = sy(t);
    out.push(
      `<line x1="${offsetX + M.left}" x2="${
        offsetX + M.left + pw
      }" y1="${y}" y2="${y}" stroke="#eee"/>`,
    );
    out.push(
      `<text x="${offsetX + M.left - 6}" y="${
        y + 4
      }" text-anchor="end" font-size="11">${fmt(t)}</text>`,
    );
  }
  for (const t of xTicks) {
    const x = sx(t);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${M.top}" y2="${
        M.top + ph
      }" stroke="#eee"/>`,
    );
    out.push(
      `<text x="${x}" y="${
        M.top + ph + 16
      }" text-anchor="middle" font-size="11">${fmt(t)}</text>`,
    );
  }
  out.push(
    `<text x="${offsetX + M.left + pw / 2}" y="${
      M.top + ph + 36
    }" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(${offsetX + 16},${
      M.top + ph / 2
    }) rotate(-90)" text-anchor="middle" font-size="12">${esc(yLabel)}</text>`,
  );
  for (const s of series) {
    const pts = s.points.filter(p => p[1] > 0).sort((a, b) => a[0] - b[0]);
    if (pts.length === 0) continue;
    const d = pts
      .map(
        (p, i) =>
          `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`,
      )
      .join(' ');
    out.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${
        s.dashed ? ' stroke-dasharray="6 4"' : ''
      }/>`,
    );
    for (const p of pts) {
      out.push(
        `<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(
          1,
        )}" r="3" fill="${s.dashed ? '#fff' : s.color}" stroke="${
          s.color
        }"><title>${esc(
          `${s.name}: ${fmt(p[0])} → ${p[1].toPrecision(3)}`,
        )}</title></circle>`,
      );
    }
  }
  return out.join('\n');
}

/** panels: [{ title, xLabel, yLabel, series, xTicks }]; groups: [{ name }] colour legend; styles: [{ name, dashed }]. */
export function renderChart({ title, panels, groups, styles, footnote }) {
  const width = W * panels.length;
  const height = H + 48;
  const body = panels.map((p, i) => panel(p, i * W)).join('\n');
  const legend = [];
  let x = 16;
  const y = H + 8;
  groups.forEach((g, i) => {
    legend.push(
      `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${
        COLORS[i % COLORS.length]
      }" stroke-width="3"/>`,
    );
    legend.push(
      `<text x="${x + 28}" y="${y + 4}" font-size="12">${esc(g.name)}</text>`,
    );
    x += 40 + g.name.length * 7;
  });
  x += 20;
  for (const s of styles) {
    legend.push(
      `<line x1="${x}" x2="${
        x + 30
      }" y1="${y}" y2="${y}" stroke="#333" stroke-width="2"${
        s.dashed ? ' stroke-dasharray="6 4"' : ''
      }/>`,
    );
    legend.push(
      `<text x="${x + 36}" y="${y + 4}" font-size="12">${esc(s.name)}</text>`,
    );
    x += 50 + s.name.length * 7;
  }
  if (footnote)
    legend.push(
      `<text x="16" y="${y + 28}" font-size="11" fill="#555">${esc(
        footnote,
      )}</text>`,
    );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<title>${esc(title)}</title>
<rect width="100%" height="100%" fill="#fff"/>
${body}
${legend.join('\n')}
</svg>
`;
}

export const colorOf = i => COLORS[i % COLORS.length];
