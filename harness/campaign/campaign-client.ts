/*
 * Runs in the browser, embedded as source text (see harness/report/client-ui.ts for the rules): no imports at
 * run time, no classes.
 */
import type uPlot from "uplot";

/** What the campaign page's script gets. */
export interface CampaignClientData {
  labels: string[];
  reports: (string | null)[];
  lost: (number | null)[];
  info: (number | null)[];
  fail: (number | null)[];
  p50: (number | null)[];
  p99: (number | null)[];
}

/**
 * Draws the campaign's bar charts with uPlot — lost writes; info and failed writes; write latency p50 and p99 —
 * one bar (or pair) per run of the matrix, labelled with its configuration; clicking a run's bars opens its report.
 * Records `window.__faultlineCampaign` when done. Runs in the browser.
 */
export function faultlineCampaignCharts(): void {
  const U = (window as unknown as { uPlot: typeof uPlot }).uPlot;
  const data = JSON.parse(
    document.getElementById("faultline-data")?.textContent ?? "null",
  ) as CampaignClientData;
  const n = data.labels.length;
  const xs = Array.from({ length: n }, (_, i) => i);
  const charts: uPlot[] = [];
  const chart = (
    id: string,
    yLabel: string,
    series: { label: string; color: string; values: (number | null)[] }[],
  ): void => {
    const el = document.getElementById(id);
    if (!el || n === 0) return;
    const width = Math.max(360, el.clientWidth || 800);
    const k = series.length;
    const u = new U(
      {
        width,
        height: 260,
        scales: {
          x: { time: false, range: [-0.5, n - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [
          {
            splits: () => xs,
            values: (_u: uPlot, splits: number[]) => splits.map((i) => data.labels[i] ?? ""),
            rotate: n > 4 ? -25 : 0,
            // Rotated labels need room below the axis: about sin(25°) of their width.
            size: n > 4 ? Math.min(220, 24 + 0.45 * 6.5 * Math.max(...data.labels.map((l) => l.length))) : 40,
            font: "11px system-ui, sans-serif",
          },
          { label: yLabel },
        ],
        series: [
          { label: "run" },
          ...series.map((s, j) => ({
            label: s.label,
            stroke: s.color,
            fill: s.color,
            width: 0,
            points: { show: false },
            paths: U.paths.bars!({
              size: [0.7 / k, 60],
              align: (k === 1 ? 0 : j === 0 ? -1 : 1) as 0 | 1 | -1,
            }),
          })),
        ],
        legend: { live: true },
      },
      [xs, ...series.map((s) => s.values)],
      el,
    );
    u.over.style.cursor = "pointer";
    u.over.addEventListener("click", () => {
      const i = u.cursor.idx;
      const href = i == null ? null : data.reports[i];
      if (href) window.location.href = href;
    });
    charts.push(u);
  };
  chart("chart-lost", "acknowledged writes lost", [{ label: "lost", color: "#c62828", values: data.lost }]);
  chart("chart-uncertain", "writes", [
    { label: "info (unknown)", color: "#7d8590", values: data.info },
    { label: "fail", color: "#e8731e", values: data.fail },
  ]);
  chart("chart-latency", "write latency (ms)", [
    { label: "p50", color: "#4e79a7", values: data.p50 },
    { label: "p99", color: "#f28e2b", values: data.p99 },
  ]);
  (window as unknown as { __faultlineCampaign: unknown }).__faultlineCampaign = {
    charts: charts.length,
    runs: n,
  };
  document.documentElement.dataset.rendered = "true";
}
