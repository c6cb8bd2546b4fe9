/* Runs in the browser; see client-ui.ts for the rules these functions follow. */
import type { ClientView } from "./client-data.js";
import type { ReportUi } from "./client-ui.js";

/** What the timeline offers the rest of the page. */
export interface TimelineView {
  canvas: HTMLCanvasElement;
  /** Shows `[fromMs, toMs]` (with a margin) and scrolls the timeline into view. */
  show(fromMs: number, toMs: number): void;
}

/**
 * Jepsen's per-process timeline on a canvas (`#timeline`): a row per worker (its processes follow one another),
 * each op a bar from invoke to completion coloured by outcome, ops an anomaly names outlined in red, fault
 * windows shaded, and above them a row of faults and a row of the leader the failover managers named. Wheel to
 * zoom, drag to pan, hover for an op's details. Only the ops in view are drawn (binary search per row), so
 * 100,000 ops stay fluid. Runs in the browser.
 */
export function faultlineTimeline(data: ClientView, ui: ReportUi): TimelineView | undefined {
  const host = document.getElementById("timeline");
  if (!host) return undefined;
  const o = data.ops;
  const n = o.inv.length;
  const ROW = 16;
  const GUTTER = 96;
  // Faults that overlap in time get lanes of their own (the first lane whose last fault has ended).
  const laneEnds: number[] = [];
  const lanes = data.faults.map((f) => {
    const end = f.endMs ?? data.endMs;
    let lane = laneEnds.findIndex((e) => e <= f.startMs);
    if (lane < 0) lane = laneEnds.push(end) - 1;
    else laneEnds[lane] = end;
    return lane;
  });
  const FAULT_LANES = Math.max(1, laneEnds.length);
  const LEADER_Y = FAULT_LANES * ROW;
  const HEAD = LEADER_Y + ROW + 6;
  const AXIS = 20;
  const rows = o.rows.length;
  const byRow: number[][] = Array.from({ length: rows }, () => []);
  for (let i = 0; i < n; i++) byRow[o.row[i]!]!.push(i);
  // Ops come in invoke order, so each row is sorted already; sort only if a history says otherwise.
  for (const r of byRow) {
    if (r.some((i, k) => k > 0 && o.inv[i]! < o.inv[r[k - 1]!]!)) r.sort((a, b) => o.inv[a]! - o.inv[b]!);
  }
  // Where each op's bar ends: its completion, or (never completed) the next op of its row.
  const end = new Float64Array(n);
  for (const r of byRow) {
    for (let k = 0; k < r.length; k++) {
      const i = r[k]!;
      const next = k + 1 < r.length ? o.inv[r[k + 1]!]! : data.endMs;
      end[i] = o.lat[i]! >= 0 ? o.inv[i]! + o.lat[i]! : Math.max(o.inv[i]!, next);
    }
  }
  const marked = new Set(data.marked);
  const canvas = document.createElement("canvas");
  canvas.className = "fl-timeline";
  host.appendChild(canvas);
  const ctx = canvas.getContext("2d")!;
  const total = Math.max(1, data.endMs);
  const first = Math.min(data.startMs, total - 1);
  let from = first;
  let to = total;
  let cssWidth = 0;
  const cssHeight = HEAD + rows * ROW + AXIS;
  const xOf = (ms: number): number => GUTTER + ((ms - from) / (to - from)) * (cssWidth - GUTTER - 8);
  const msOf = (x: number): number => from + ((x - GUTTER) / (cssWidth - GUTTER - 8)) * (to - from);
  const leaderColors = ["#4e79a7", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f"];
  const leaderColor = (name: string | null): string =>
    name === null
      ? "#d0d0d0"
      : (leaderColors[(Number(name.replace(/\D/g, "")) || 0) % leaderColors.length] ?? "#999");

  /** First index k in row r whose bar ends at or after `ms`. */
  const firstVisible = (r: number[], ms: number): number => {
    let lo = 0;
    let hi = r.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (end[r[mid]!]! < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const draw = (): void => {
    cssWidth = Math.max(400, host.clientWidth || 900);
    const dpr = ui.dpr;
    if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
      canvas.width = Math.round(cssWidth * dpr);
      canvas.height = Math.round(cssHeight * dpr);
      canvas.style.width = `${cssWidth}px`;
      canvas.style.height = `${cssHeight}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, cssWidth, cssHeight);
    ctx.font = "11px system-ui, sans-serif";
    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, 0, cssWidth - GUTTER, cssHeight);
    ctx.clip();
    // Fault windows, across every row, and their bars in the first row.
    data.faults.forEach((f, k) => {
      const x0 = xOf(f.startMs);
      const x1 = xOf(f.endMs ?? data.endMs);
      if (x1 < GUTTER || x0 > cssWidth) return;
      const y = lanes[k]! * ROW;
      ctx.fillStyle = f.uncertain ? "rgba(242,142,43,0.07)" : "rgba(242,142,43,0.15)";
      ctx.fillRect(x0, HEAD, Math.max(1, x1 - x0), rows * ROW);
      ctx.fillStyle = "#f28e2b";
      ctx.fillRect(x0, y + 2, Math.max(2, x1 - x0), ROW - 4);
      ctx.fillStyle = "#fff";
      if (x1 - x0 > 40) ctx.fillText(f.label, Math.max(x0, GUTTER) + 3, y + ROW - 5);
    });
    // The leader row.
    data.leaders.forEach((l, i) => {
      const x0 = xOf(l.atMs);
      const x1 = xOf(data.leaders[i + 1]?.atMs ?? data.endMs);
      if (x1 < GUTTER || x0 > cssWidth) return;
      ctx.fillStyle = leaderColor(l.leader);
      ctx.fillRect(x0, LEADER_Y + 2, Math.max(1, x1 - x0), ROW - 4);
      ctx.fillStyle = "#fff";
      if (x1 - x0 > 24) ctx.fillText(l.leader ?? "none", Math.max(x0, GUTTER) + 3, LEADER_Y + ROW - 5);
    });
    // The ops in view: one path per outcome (and one for ops that never completed, drawn faded), one for the
    // outlines, then the labels of bars wide enough for one. A draw call per bar is far slower without a GPU.
    const bars = ui.typeColors.map(() => new Path2D());
    const open = new Path2D();
    const outlines = new Path2D();
    const labels: [string, number, number][] = [];
    for (let r = 0; r < rows; r++) {
      const list = byRow[r]!;
      const y = HEAD + r * ROW;
      for (let k = firstVisible(list, from); k < list.length; k++) {
        const i = list[k]!;
        if (o.inv[i]! > to) break;
        const x0 = xOf(o.inv[i]!);
        const w = Math.max(1, xOf(end[i]!) - x0);
        (o.lat[i]! < 0 ? open : bars[o.type[i]!]!).rect(x0, y + 2, w, ROW - 4);
        if (marked.has(o.idx[i]!)) outlines.rect(x0 - 1, y + 1, w + 2, ROW - 2);
        if (w > 44)
          labels.push([`${o.fs[o.f[i]!]} ${o.val[i]}`.slice(0, Math.floor(w / 6)), x0 + 2, y + ROW - 5]);
      }
    }
    bars.forEach((p, t) => {
      ctx.fillStyle = ui.typeColors[t]!;
      ctx.fill(p);
    });
    ctx.globalAlpha = 0.45;
    ctx.fillStyle = ui.typeColors[2]!;
    ctx.fill(open);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = "#d62728";
    ctx.lineWidth = 2;
    ctx.stroke(outlines);
    ctx.fillStyle = "#fff";
    for (const [text, x, y] of labels) ctx.fillText(text, x, y);
    ctx.restore();
    // Row labels and the time axis.
    ctx.fillStyle = "#333";
    ctx.fillText("faults", 4, ROW - 5);
    ctx.fillText("leader", 4, LEADER_Y + ROW - 5);
    for (let r = 0; r < rows; r++) ctx.fillText(o.rows[r]!, 4, HEAD + r * ROW + ROW - 5);
    const span = to - from;
    const step =
      [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000, 300000, 600000].find(
        (s) => span / s <= 12,
      ) ?? 3_600_000;
    ctx.fillStyle = "#666";
    ctx.strokeStyle = "#eee";
    ctx.lineWidth = 1;
    for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
      const x = xOf(t);
      ctx.beginPath();
      ctx.moveTo(x, HEAD);
      ctx.lineTo(x, HEAD + rows * ROW);
      ctx.stroke();
      ctx.fillText(step >= 1000 ? `${t / 1000} s` : `${(t / 1000).toFixed(3)} s`, x - 14, cssHeight - 6);
    }
  };

  const setView = (a: number, b: number, tell: boolean): void => {
    const minSpan = 0.5;
    let lo = Math.max(first, Math.min(a, b));
    let hi = Math.min(total, Math.max(a, b));
    if (hi - lo < minSpan) {
      const mid = (lo + hi) / 2;
      lo = Math.max(first, mid - minSpan / 2);
      hi = lo + minSpan;
    }
    from = lo;
    to = hi;
    draw();
    if (tell) ui.setRange(from, to, view);
  };

  const hit = (ev: MouseEvent): number => {
    const r = canvas.getBoundingClientRect();
    const x = ev.clientX - r.left;
    const y = ev.clientY - r.top;
    const row = Math.floor((y - HEAD) / ROW);
    if (x < GUTTER || row < 0 || row >= rows) return -1;
    const list = byRow[row]!;
    const ms = msOf(x);
    const slack = (3 * (to - from)) / (cssWidth - GUTTER);
    for (let k = firstVisible(list, ms - slack); k < list.length; k++) {
      const i = list[k]!;
      if (o.inv[i]! > ms + slack) break;
      return i;
    }
    return -1;
  };

  let drag: { x: number; from: number; to: number } | undefined;
  canvas.addEventListener("mousedown", (ev) => {
    drag = { x: ev.clientX, from, to };
  });
  window.addEventListener("mouseup", () => {
    drag = undefined;
  });
  canvas.addEventListener("mousemove", (ev) => {
    if (drag) {
      const dms = ((ev.clientX - drag.x) / (cssWidth - GUTTER)) * (drag.to - drag.from);
      const width = drag.to - drag.from;
      const a = Math.max(first, Math.min(total - width, drag.from - dms));
      setView(a, a + width, true);
      ui.hideTip();
      return;
    }
    const i = hit(ev);
    if (i < 0) ui.hideTip();
    else ui.showTip(ev.clientX, ev.clientY, ui.describeOp(i));
  });
  canvas.addEventListener("mouseleave", () => ui.hideTip());
  canvas.addEventListener(
    "wheel",
    (ev) => {
      ev.preventDefault();
      const r = canvas.getBoundingClientRect();
      const at = msOf(ev.clientX - r.left);
      const k = ev.deltaY > 0 ? 1.25 : 0.8;
      setView(at - (at - from) * k, at + (to - at) * k, true);
    },
    { passive: false },
  );
  canvas.addEventListener("dblclick", () => setView(first, total, true));
  for (const [id, f] of [
    ["timeline-in", 0.5],
    ["timeline-out", 2],
  ] as const) {
    document.getElementById(id)?.addEventListener("click", () => {
      const mid = (from + to) / 2;
      const half = ((to - from) * f) / 2;
      setView(mid - half, mid + half, true);
    });
  }
  document.getElementById("timeline-reset")?.addEventListener("click", () => setView(first, total, true));

  const view: TimelineView = {
    canvas,
    show(a, b) {
      const pad = Math.max(250, (b - a) * 0.15);
      setView(a - pad, b + pad, true);
      host.scrollIntoView({ block: "center" });
    },
  };
  ui.views.push({ id: view, setRange: (a, b) => setView(a, b, false) });
  window.addEventListener("resize", () => draw());
  draw();
  return view;
}
