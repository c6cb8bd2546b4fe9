import type { CycleView } from "./cycle-view.js";
import { escapeHtml as e } from "./escape-html.js";

const EDGE_COLORS: Record<string, string> = {
  ww: "#4e79a7",
  wr: "#59a14f",
  rw: "#e15759",
  process: "#9c755f",
  realtime: "#b07aa1",
};

/**
 * Each dependency cycle drawn as a graph (transactions on a circle, an arrow per dependency labelled with its
 * kind: ww, wr, rw, process, realtime) beside its transactions and the checker's step-by-step explanation.
 */
export function renderCycles(cycles: readonly CycleView[]): string {
  return cycles
    .map(
      (
        c,
      ) => `<h3><span class="badge">${e(c.checker)}</span>${e(c.kind)} cycle of ${c.txns.length} transactions</h3>
<div class="cycle">${cycleSvg(c)}<div>
<table><tr><th></th><th>process</th><th>outcome</th><th>micro-ops</th><th>completed</th></tr>${c.txns
        .map(
          (t) =>
            `<tr><td><b>${e(t.name)}</b></td><td class="num">${t.process}</td><td>${e(t.outcome)}</td><td><code>${e(t.mops)}</code></td><td class="num">${t.ms === undefined ? "?" : `${(t.ms / 1000).toFixed(3)} s`}</td></tr>`,
        )
        .join("")}</table>
<ol>${c.steps.map((s) => `<li>${e(s.explanation)}</li>`).join("")}</ol>
<p>${e(c.context)}${c.rulesOut.length > 0 ? ` Rules out: ${c.rulesOut.map(e).join(", ")}.` : ""}</p>
</div></div>
<details><summary>the checker's explanation</summary><pre>${e(c.explanation)}</pre></details>`,
    )
    .join("\n");
}

/** The cycle as an inline SVG graph: one node per transaction on a circle, one labelled arrow per step. */
export function cycleSvg(c: CycleView): string {
  const n = c.txns.length;
  const size = 340;
  const r = n <= 2 ? 90 : 120;
  const cx = size / 2;
  const cy = size / 2;
  const pos = new Map(
    c.txns.map((t, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      return [t.name, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) }] as const;
    }),
  );
  const NODE = 22;
  const arrows = c.steps
    .map((s) => {
      const a = pos.get(s.from);
      const b = pos.get(s.to);
      if (!a || !b) return "";
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.max(1, Math.hypot(dx, dy));
      const ux = dx / len;
      const uy = dy / len;
      // Bend each edge outwards a little, so a two-transaction cycle shows two distinct arrows.
      const mx = (a.x + b.x) / 2 - uy * 28;
      const my = (a.y + b.y) / 2 + ux * 28;
      const x1 = a.x + ux * NODE;
      const y1 = a.y + uy * NODE;
      const x2 = b.x - ux * (NODE + 4);
      const y2 = b.y - uy * (NODE + 4);
      const color = EDGE_COLORS[s.type] ?? "#555";
      return `<path d="M${x1.toFixed(1)},${y1.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}" stroke="${color}" stroke-width="2" fill="none" marker-end="url(#arrow-${s.type in EDGE_COLORS ? s.type : "ww"})"><title>${e(s.explanation)}</title></path><text x="${mx.toFixed(1)}" y="${my.toFixed(1)}" font-size="12" fill="${color}" text-anchor="middle">${e(s.type)}</text>`;
    })
    .join("");
  const markers = Object.entries(EDGE_COLORS)
    .map(
      ([type, color]) =>
        `<marker id="arrow-${type}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`,
    )
    .join("");
  const nodes = c.txns
    .map((t) => {
      const p = pos.get(t.name)!;
      return `<g><circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${NODE}" fill="#fff" stroke="#333" stroke-width="1.5"><title>${e(`${t.name}: process ${t.process}, ${t.outcome}, ${t.mops}`)}</title></circle><text x="${p.x.toFixed(1)}" y="${(p.y + 4).toFixed(1)}" font-size="13" font-weight="600" text-anchor="middle">${e(t.name)}</text></g>`;
    })
    .join("");
  return `<svg class="cycle-graph" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img" aria-label="${e(`${c.kind} cycle`)}"><defs>${markers}</defs>${arrows}${nodes}</svg>`;
}
