/* Runs in the browser; see client-ui.ts for the rules these functions follow. */
import type { ClientData, ClientView } from "./client-data.js";
import { faultlineCharts } from "./client-charts.js";
import { faultlineTimeline } from "./client-timeline.js";
import { faultlineUi } from "./client-ui.js";
import { unpackOps } from "./pack-ops.js";

/**
 * The report page's entry point: reads the embedded data, unpacks the op table, draws the charts and the
 * timeline, wires the "show in timeline" buttons, and records how long the first render took in
 * `window.__faultlineReport` (the browser tests and the benchmark read it); `data-rendered` is set on the root
 * element once that frame has been painted. Runs in the browser.
 */
export function faultlineReport(): void {
  const started = performance.now();
  const el = document.getElementById("faultline-data");
  const packed = JSON.parse(el?.textContent ?? "null") as ClientData;
  const data: ClientView = { ...packed, ops: unpackOps(packed.packed) };
  const parsed = performance.now();
  const ui = faultlineUi(data);
  const charts = faultlineCharts(data, ui);
  const charted = performance.now();
  const timeline = faultlineTimeline(data, ui);
  const drawn = performance.now();
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>("button[data-from]"))) {
    b.addEventListener("click", () => timeline?.show(Number(b.dataset.from), Number(b.dataset.to)));
  }
  const report: {
    renderMs: number;
    sinceNavigationMs: number;
    paintedMs: number;
    phasesMs: Record<string, number>;
    charts: number;
    ops: number;
  } = {
    renderMs: drawn - started,
    sinceNavigationMs: drawn,
    /** Since navigation, once the frame with the charts drawn has been painted (set below). */
    paintedMs: 0,
    phasesMs: {
      startedAt: started,
      parse: parsed - started,
      charts: charted - parsed,
      timeline: drawn - charted,
    },
    charts: charts.length,
    ops: data.ops.inv.length,
  };
  (window as unknown as { __faultlineReport: unknown }).__faultlineReport = report;
  // Queued after uPlot's own draw (a microtask of each chart's construction): when it runs, every chart is drawn.
  queueMicrotask(() => {
    report.phasesMs.drawn = performance.now() - drawn;
  });
  // uPlot draws in a microtask; the frame after that is the first one showing everything.
  requestAnimationFrame(() =>
    setTimeout(() => {
      ui.live = true;
      report.paintedMs = performance.now();
      document.documentElement.dataset.rendered = "true";
    }, 0),
  );
}
