/*
 * Page-script helpers. Everything in the `client-*.ts` files runs in the browser: each exported function is
 * embedded in the report as its source text (see `client-script.ts`), so it may use only the DOM, the `uPlot`
 * global and the other client functions, never an import at run time, and no classes (a compiler could add
 * helpers for them that the page does not have).
 */
import type uPlot from "uplot";
import type { ClientView } from "./client-data.js";

/** What the chart and timeline functions share: colours, formatting, the tooltip and the common x range. */
export interface ReportUi {
  typeColors: string[];
  typeNames: string[];
  dpr: number;
  /** `12.345 s` from ms. */
  sec(ms: number): string;
  /** Tooltip lines describing op `i` of the op table. */
  describeOp(i: number): string[];
  showTip(x: number, y: number, lines: string[]): void;
  hideTip(): void;
  /** Shades fault windows and marks leader changes on a uPlot chart whose x axis is seconds. */
  shade(u: uPlot): void;
  /** Sets the x range (ms) of every view; `from` is the view that asked (it is not told again). */
  setRange(fromMs: number, toMs: number, source: unknown): void;
  /** Views register here to follow range changes. */
  views: { id: unknown; setRange(fromMs: number, toMs: number): void }[];
  /**
   * False until the first render is done: the charts' own initial scale settings must not make every other view
   * draw again (that would triple the first render's cost).
   */
  live: boolean;
}

/** Builds the {@link ReportUi} for a page. Runs in the browser. */
export function faultlineUi(data: ClientView): ReportUi {
  const dpr = window.devicePixelRatio || 1;
  const tip = document.createElement("div");
  tip.id = "fl-tip";
  tip.className = "fl-tip";
  tip.hidden = true;
  document.body.appendChild(tip);
  const o = data.ops;
  const typeNames = ["ok", "fail", "info"];
  const sec = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
  let ranging = false;
  const ui: ReportUi = {
    typeColors: ["#2e8b3e", "#e8731e", "#7d8590"],
    typeNames,
    dpr,
    sec,
    describeOp(i) {
      const lines = [`${o.fs[o.f[i]!]} · ${typeNames[o.type[i]!]} · process ${o.proc[i]}`];
      if (o.key[i]! >= 0) lines.push(`key ${o.keys[o.key[i]!]}`);
      lines.push(`value ${o.val[i]}`);
      if (o.node[i]! >= 0) lines.push(`node ${o.nodes[o.node[i]!]}`);
      lines.push(
        `invoked at ${sec(o.inv[i]!)} · ${o.lat[i]! >= 0 ? `latency ${o.lat[i]!.toFixed(3)} ms` : "never completed"}`,
      );
      if (o.err[i]! >= 0) lines.push(`error ${o.errors[o.err[i]!]}`);
      lines.push(`history index ${o.idx[i]}`);
      return lines;
    },
    showTip(x, y, lines) {
      tip.textContent = lines.join("\n");
      tip.hidden = false;
      const w = tip.offsetWidth;
      tip.style.left = `${Math.max(4, Math.min(x + 14, window.innerWidth - w - 8))}px`;
      tip.style.top = `${y + 14}px`;
    },
    hideTip() {
      tip.hidden = true;
    },
    shade(u) {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, height);
      ctx.clip();
      ctx.font = `${11 * dpr}px system-ui, sans-serif`;
      for (const f of data.faults) {
        const x0 = u.valToPos(f.startMs / 1000, "x", true);
        const x1 = u.valToPos((f.endMs ?? data.endMs) / 1000, "x", true);
        ctx.fillStyle = f.uncertain ? "rgba(242,142,43,0.08)" : "rgba(242,142,43,0.18)";
        ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
        ctx.fillStyle = "#9a4d00";
        ctx.fillText(f.label, x0 + 3 * dpr, top + 12 * dpr);
      }
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.lineWidth = dpr;
      data.leaders.forEach((l, i) => {
        if (i === 0) return;
        const x = u.valToPos(l.atMs / 1000, "x", true);
        ctx.strokeStyle = "#6f42c1";
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.fillStyle = "#6f42c1";
        ctx.fillText(`leader ${l.leader ?? "?"}`, x + 3 * dpr, top + height - 4 * dpr);
      });
      ctx.restore();
    },
    setRange(fromMs, toMs, source) {
      if (ranging || !ui.live) return;
      ranging = true;
      try {
        for (const v of ui.views) if (v.id !== source) v.setRange(fromMs, toMs);
      } finally {
        ranging = false;
      }
    },
    views: [],
    live: false,
  };
  return ui;
}
