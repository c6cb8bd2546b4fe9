/* Runs in the browser; see client-ui.ts for the rules these functions follow. */
import type { ClientData } from "./client-data.js";
import { faultlineCharts } from "./client-charts.js";
import { faultlineTimeline } from "./client-timeline.js";
import { faultlineUi } from "./client-ui.js";

/**
 * The report page's entry point: reads the embedded data, draws the charts and the timeline, wires the
 * "show in timeline" buttons, and records how long the first render took in `window.__faultlineReport`
 * (the browser tests and the benchmark read it). Runs in the browser.
 */
export function faultlineReport(): void {
  const started = performance.now();
  const el = document.getElementById("faultline-data");
  const data = JSON.parse(el?.textContent ?? "null") as ClientData;
  const ui = faultlineUi(data);
  const charts = faultlineCharts(data, ui);
  const timeline = faultlineTimeline(data, ui);
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>("button[data-from]"))) {
    b.addEventListener("click", () => timeline?.show(Number(b.dataset.from), Number(b.dataset.to)));
  }
  (window as unknown as { __faultlineReport: unknown }).__faultlineReport = {
    renderMs: performance.now() - started,
    sinceNavigationMs: performance.now(),
    charts: charts.length,
    ops: data.ops.inv.length,
  };
  document.documentElement.dataset.rendered = "true";
}
