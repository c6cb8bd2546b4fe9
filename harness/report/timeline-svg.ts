import { escapeHtml as e } from "./escape-html.js";
import type { ReportData } from "./report-data.js";

const WIDTH = 1000;
const LEFT = 110;
const ROW = 26;
const NODE_COLORS = ["#4e79a7", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac"];
const SPLIT = "#e15759";

/** How the cluster picture draws each thing, for the legend under it (HTML) and the SVG itself. */
export const TIMELINE_LEGEND: readonly { swatch: string; text: string }[] = [
  { swatch: "background:#f28e2b", text: "fault in effect" },
  { swatch: "background:#4e79a7", text: "named leader by the failover managers (a colour per node)" },
  {
    swatch: "background:repeating-linear-gradient(90deg,#4e79a7 0 3px,#fff 3px 5px)",
    text: "accepts writes",
  },
  { swatch: `background:${SPLIT}`, text: "two or more nodes accept writes at once (split brain)" },
  { swatch: "background:repeating-linear-gradient(45deg,#555 0 2px,#ddd 2px 5px)", text: "killed or paused" },
  { swatch: `background:${SPLIT};width:3px`, text: "lost write, when acknowledged" },
  { swatch: "background:rgba(225,87,89,.2)", text: "loss window" },
];

/**
 * The cluster picture, the report's first: fault windows (told in words on hover), a row per data node — named
 * leader by the failover managers, accepting writes (two at once is split brain), killed or paused — client
 * outcomes over time, lost writes at the moment they were acknowledged with the loss windows shaded, and the
 * failover managers' events. Plain SVG with `<title>` tooltips: no script, no network.
 */
export function timelineSvg(d: ReportData): string {
  // From the first history entry (the cluster started before it), on a whole second, to the last.
  const end = Math.max(d.endMs, 1);
  const t0 = Math.min(Math.floor(Math.max(0, d.startMs) / 1000) * 1000, end - 1);
  const x = (ms: number): number =>
    LEFT + ((WIDTH - LEFT - 10) * (Math.min(Math.max(ms, t0), end) - t0)) / (end - t0);
  const nodes = d.roles.nodes;
  const color = (node: string): string => {
    const i = nodes.indexOf(node);
    return i < 0 ? "#999" : NODE_COLORS[i % NODE_COLORS.length]!;
  };
  const lostLabel = `writes lost (${d.lostCount.toLocaleString("en")})`;
  const rows = ["faults", ...nodes, "client ops", lostLabel, "manager events"];
  const rowY = (label: string): number => rows.indexOf(label) * ROW;
  const height = rows.length * ROW + 22;
  const out: string[] = [
    `<svg class="timeline" id="cluster-picture" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="cluster timeline">`,
    `<defs><pattern id="fl-down" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#ddd"/><rect width="2" height="5" fill="#555"/></pattern></defs>`,
  ];
  rows.forEach((label, i) => {
    if (nodes.includes(label))
      out.push(
        `<rect x="${LEFT}" y="${i * ROW + 3}" width="${WIDTH - LEFT - 10}" height="${ROW - 6}" fill="#f4f4f4"/>`,
      );
    out.push(`<text x="4" y="${i * ROW + 17}" class="row">${e(label)}</text>`);
  });
  for (const w of d.lossWindows) {
    const x0 = x(w.fromMs);
    const width = Math.max(2, x(w.toMs) - x0);
    out.push(
      `<rect x="${x0}" y="0" width="${width}" height="${rows.length * ROW}" fill="${SPLIT}" opacity="0.12"><title>loss window ${fmt(w.fromMs)} – ${fmt(w.toMs)}: ${w.lost} lost</title></rect>`,
    );
  }
  faultRow(d, x, end, out);
  nodeRows(d, x, end, rowY, color, out);
  clientRow(d, x, rowY("client ops"), out);
  lostRow(d, x, rowY(lostLabel), out);
  const evY = rowY("manager events");
  for (const ev of d.events) {
    out.push(
      `<circle cx="${x(ev.atMs)}" cy="${evY + 13}" r="3" fill="${ev.kind === "leader-switch" ? SPLIT : "#4e79a7"}"><title>${fmt(ev.atMs)} ${e(ev.manager)}: ${e(ev.kind)}${ev.node ? ` ${e(ev.node)}` : ""} (${e(ev.event)}) ${e(ev.text)}</title></circle>`,
    );
  }
  const step = niceStep(end - t0);
  for (let t = Math.ceil(t0 / step) * step; t <= end; t += step) {
    out.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="0" y2="${rows.length * ROW}" stroke="#000" stroke-opacity="0.07"/>`,
      `<text x="${x(t)}" y="${rows.length * ROW + 16}" class="tick">${(t / 1000).toFixed(0)} s</text>`,
    );
  }
  out.push("</svg>");
  return out.join("\n");
}

type X = (ms: number) => number;

/** Fault windows; overlapping ones share the row in lanes (the first lane whose last fault has ended). */
function faultRow(d: ReportData, x: X, end: number, out: string[]): void {
  const laneEnds: number[] = [];
  const lanes = d.faults.map((f) => {
    let lane = laneEnds.findIndex((t) => t <= f.startMs);
    if (lane < 0) lane = laneEnds.push(f.endMs ?? end) - 1;
    else laneEnds[lane] = f.endMs ?? end;
    return lane;
  });
  const laneHeight = (ROW - 6) / Math.max(1, laneEnds.length);
  d.faults.forEach((f, k) => {
    const x0 = x(f.startMs);
    const w = Math.max(2, x(f.endMs ?? end) - x0);
    const y = 3 + lanes[k]! * laneHeight;
    const line = d.faultLines[k];
    out.push(
      `<rect x="${x0}" y="${y}" width="${w}" height="${laneHeight}" fill="#f28e2b" opacity="0.85"><title>${e(line?.label ?? f.fault)} ${fmt(f.startMs)} – ${f.endMs === undefined ? "end" : fmt(f.endMs)}: ${e(line?.text ?? f.fault)}</title></rect>`,
    );
    if (laneHeight >= 12 && w > 40)
      out.push(
        `<text x="${x0 + 3}" y="${y + laneHeight - 5}" class="in">${e(line?.label ?? f.fault)}</text>`,
      );
  });
}

/** A row per data node: named leader (upper band), accepting writes (lower band), killed or paused (hatched). */
function nodeRows(
  d: ReportData,
  x: X,
  end: number,
  rowY: (label: string) => number,
  color: (node: string) => string,
  out: string[],
): void {
  const nodes = new Set(d.roles.nodes);
  d.leaders.forEach((l, i) => {
    if (l.leader === null || !nodes.has(l.leader)) return;
    const x0 = x(l.atMs);
    const x1 = x(d.leaders[i + 1]?.atMs ?? end);
    const y = rowY(l.leader) + 3;
    out.push(
      `<rect x="${x0}" y="${y}" width="${Math.max(1, x1 - x0)}" height="${ROW / 2 - 3}" fill="${color(l.leader)}"><title>${fmt(l.atMs)} – ${fmt(d.leaders[i + 1]?.atMs ?? end)}: the failover managers name ${e(l.leader)} leader</title></rect>`,
    );
    if (x1 - x0 > 40) out.push(`<text x="${x0 + 3}" y="${y + 9}" class="in">leader</text>`);
  });
  d.writable.forEach((m, i) => {
    const x0 = x(m.atMs);
    const to = d.writable[i + 1]?.atMs ?? end;
    const x1 = x(to);
    const split = m.nodes.length > 1;
    for (const node of m.nodes) {
      if (!nodes.has(node)) continue;
      out.push(
        `<rect x="${x0}" y="${rowY(node) + ROW / 2 + 1}" width="${Math.max(1, x1 - x0)}" height="${ROW / 2 - 4}" fill="${split ? SPLIT : color(node)}" fill-opacity="${split ? 1 : 0.55}"><title>${fmt(m.atMs)} – ${fmt(to)}: ${e(m.nodes.join(", "))} ${m.nodes.length > 1 ? "accept writes at once (split brain)" : "accepts writes"}</title></rect>`,
      );
    }
  });
  for (const f of d.faults) {
    const v = (f.detail ?? {}) as Record<string, unknown>;
    const how = v.signal === "SIGKILL" ? "killed" : v.signal === "SIGSTOP" ? "paused" : undefined;
    if (!how) continue;
    const targets = Array.isArray(v.nodes) ? v.nodes : typeof v.node === "string" ? [v.node] : [];
    for (const node of targets.map(String)) {
      if (!nodes.has(node)) continue;
      const x0 = x(f.appliedMs);
      const x1 = x(f.endMs ?? end);
      out.push(
        `<rect x="${x0}" y="${rowY(node) + 3}" width="${Math.max(2, x1 - x0)}" height="${ROW - 6}" fill="url(#fl-down)" opacity="0.8"><title>${e(node)} ${how} ${fmt(f.appliedMs)} – ${f.endMs === undefined ? "end" : fmt(f.endMs)}</title></rect>`,
      );
    }
  }
}

/** Client outcomes per bucket, stacked: ok, fail, info. */
function clientRow(d: ReportData, x: X, y0: number, out: string[]): void {
  const peak = Math.max(1, ...d.buckets.map((b) => b.ok + b.fail + b.info));
  const bw = Math.max(1, x(d.startMs + d.bucketMs) - x(d.startMs));
  for (const b of d.buckets) {
    let y = y0 + ROW - 2;
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
}

/** One mark per pixel column (a long run can lose tens of thousands of writes; the DOM stays small). */
function lostRow(d: ReportData, x: X, y0: number, out: string[]): void {
  type Lost = ReportData["lost"][number];
  const columns = new Map<number, { n: number; first: Lost; last: Lost }>();
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
      `<line x1="${col}" x2="${col}" y1="${y0 + 4}" y2="${y0 + ROW - 4}" stroke="${SPLIT}" stroke-width="1.5"><title>${what}</title></line>`,
    );
  }
}

function niceStep(endMs: number): number {
  for (const s of [1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000]) if (endMs / s <= 15) return s;
  return 600_000;
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}
