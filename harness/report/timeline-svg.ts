import { escapeHtml as e } from "./escape-html.js";
import type { ReportData } from "./report-data.js";

const WIDTH = 1000;
const LEFT = 130;
const ROW = 26;
const NODE_COLORS = ["#4e79a7", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac"];

/**
 * The timeline: fault windows, the leader as the failover managers name it, nodes claiming leadership (two at
 * once is split brain), client outcomes over time, and lost writes at the moment they were acknowledged, with
 * the loss window shaded. Plain SVG with `<title>` tooltips: no script, no network.
 */
export function timelineSvg(d: ReportData): string {
  const end = Math.max(d.endMs, 1);
  const x = (ms: number): number => LEFT + ((WIDTH - LEFT - 10) * Math.min(Math.max(ms, 0), end)) / end;
  const color = (node: string | null): string =>
    node === null
      ? "#ddd"
      : (NODE_COLORS[(Number(node.replace(/\D/g, "")) - 1) % NODE_COLORS.length] ?? "#999");
  const rows = [
    "faults",
    "leader (managers)",
    "claiming leader",
    "client ops",
    "lost writes",
    "manager events",
  ];
  const height = rows.length * ROW + 40;
  const out: string[] = [`<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img">`];
  rows.forEach((label, i) => out.push(`<text x="4" y="${i * ROW + 17}" class="row">${e(label)}</text>`));
  for (const w of d.lossWindows) {
    const x0 = x(w.fromMs);
    const width = Math.max(2, x(w.toMs) - x0);
    out.push(
      `<rect x="${x0}" y="0" width="${width}" height="${rows.length * ROW}" fill="#e15759" opacity="0.12"><title>loss window ${fmt(w.fromMs)} – ${fmt(w.toMs)}: ${w.lost} lost</title></rect>`,
    );
  }
  // Overlapping faults share the row in lanes (the first lane whose last fault has ended).
  const laneEnds: number[] = [];
  const lanes = d.faults.map((f) => {
    let lane = laneEnds.findIndex((t) => t <= f.startMs);
    if (lane < 0) lane = laneEnds.push(f.endMs ?? end) - 1;
    else laneEnds[lane] = f.endMs ?? end;
    return lane;
  });
  const laneHeight = (ROW - 8) / Math.max(1, laneEnds.length);
  d.faults.forEach((f, k) => {
    const x0 = x(f.startMs);
    const w = Math.max(2, x(f.endMs ?? end) - x0);
    const y = 4 + lanes[k]! * laneHeight;
    out.push(
      `<rect x="${x0}" y="${y}" width="${w}" height="${laneHeight}" fill="#f28e2b" opacity="0.8"><title>${e(f.fault)} ${fmt(f.startMs)} – ${f.endMs === undefined ? "end" : fmt(f.endMs)}: ${e(JSON.stringify(f.detail))}</title></rect>`,
    );
    if (laneHeight >= 12)
      out.push(`<text x="${x0 + 3}" y="${y + laneHeight - 5}" class="in">${e(f.fault)}</text>`);
  });
  d.leaders.forEach((l, i) => {
    const x0 = x(l.atMs);
    const x1 = x(d.leaders[i + 1]?.atMs ?? end);
    out.push(
      `<rect x="${x0}" y="${ROW + 4}" width="${Math.max(1, x1 - x0)}" height="${ROW - 8}" fill="${color(l.leader)}"><title>${fmt(l.atMs)}: leader ${e(l.leader ?? "none agreed")}</title></rect>`,
      `<text x="${x0 + 3}" y="${2 * ROW - 9}" class="in">${e(l.leader ?? "?")}</text>`,
    );
  });
  d.masters.forEach((m, i) => {
    const x0 = x(m.atMs);
    const x1 = x(d.masters[i + 1]?.atMs ?? end);
    const split = m.nodes.length > 1;
    out.push(
      `<rect x="${x0}" y="${2 * ROW + 4}" width="${Math.max(1, x1 - x0)}" height="${ROW - 8}" fill="${split ? "#e15759" : m.nodes.length === 1 ? color(m.nodes[0]!) : "#ddd"}"><title>${fmt(m.atMs)}: ${e(m.nodes.join(", ") || "no node")} say role:master${split ? " (split brain)" : ""}</title></rect>`,
      `<text x="${x0 + 3}" y="${3 * ROW - 9}" class="in">${e(m.nodes.join("+") || "-")}</text>`,
    );
  });
  const peak = Math.max(1, ...d.buckets.map((b) => b.ok + b.fail + b.info));
  const bw = Math.max(1, x(d.bucketMs) - x(0));
  for (const b of d.buckets) {
    let y = 4 * ROW - 2;
    for (const [kind, fill] of [
      ["ok", "#59a14f"],
      ["fail", "#f28e2b"],
      ["info", "#7f7f7f"],
    ] as const) {
      const h = ((ROW - 6) * b[kind]) / peak;
      if (h <= 0) continue;
      y -= h;
      out.push(
        `<rect x="${x(b.ms)}" y="${y}" width="${bw}" height="${h}" fill="${fill}"><title>${fmt(b.ms)}: ${b.ok} ok, ${b.fail} fail, ${b.info} info</title></rect>`,
      );
    }
  }
  // One mark per pixel column (a long run can lose tens of thousands of writes; the DOM stays small).
  const columns = new Map<
    number,
    { n: number; first: (typeof d.lost)[number]; last: (typeof d.lost)[number] }
  >();
  for (const l of d.lost) {
    const col = Math.round(x(l.ackedMs));
    const c = columns.get(col);
    if (c) {
      c.n++;
      if (l.ackedMs > c.last.ackedMs) c.last = l;
      if (l.ackedMs < c.first.ackedMs) c.first = l;
    } else columns.set(col, { n: 1, first: l, last: l });
  }
  for (const [col, c] of columns) {
    const what =
      c.n === 1
        ? `lost ${e(JSON.stringify(c.first.element))} acknowledged at ${fmt(c.first.ackedMs)} by ${e(c.first.node ?? "?")}`
        : `${c.n} lost writes acknowledged ${fmt(c.first.ackedMs)} – ${fmt(c.last.ackedMs)}, e.g. ${e(JSON.stringify(c.first.element))} by ${e(c.first.node ?? "?")}`;
    out.push(
      `<line x1="${col}" x2="${col}" y1="${4 * ROW + 4}" y2="${5 * ROW - 4}" stroke="#e15759"><title>${what}</title></line>`,
    );
  }
  for (const ev of d.events) {
    out.push(
      `<circle cx="${x(ev.atMs)}" cy="${5 * ROW + 13}" r="3" fill="${ev.kind === "leader-switch" ? "#e15759" : "#4e79a7"}"><title>${fmt(ev.atMs)} ${e(ev.manager)}: ${e(ev.event)} ${e(ev.text)}</title></circle>`,
    );
  }
  const step = niceStep(end);
  for (let t = 0; t <= end; t += step) {
    out.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="0" y2="${rows.length * ROW}" stroke="#eee"/>`,
      `<text x="${x(t)}" y="${rows.length * ROW + 16}" class="tick">${(t / 1000).toFixed(0)} s</text>`,
    );
  }
  out.push("</svg>");
  return out.join("\n");
}

function niceStep(endMs: number): number {
  for (const s of [1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000]) if (endMs / s <= 15) return s;
  return 600_000;
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}
