/* Runs in the browser; see client-ui.ts for the rules these functions follow. */
import type uPlot from "uplot";
import type { ClientView } from "./client-data.js";
import type { ReportUi } from "./client-ui.js";

/**
 * Draws the latency, throughput and replication-lag charts with uPlot into `#chart-latency`, `#chart-throughput`
 * and `#chart-lag`, each with the fault windows shaded and leader changes marked; zooming one (drag) zooms all
 * and the timeline. Returns the charts drawn. Runs in the browser.
 */
export function faultlineCharts(data: ClientView, ui: ReportUi): uPlot[] {
  const U = (window as unknown as { uPlot: typeof uPlot }).uPlot;
  const charts: uPlot[] = [];
  const o = data.ops;
  const n = o.inv.length;
  const width = (el: HTMLElement): number => Math.max(320, el.clientWidth || 800);
  const shadeHook = { drawClear: [(u: uPlot) => ui.shade(u)] };
  const xRange = (u: uPlot): void => {
    const min = u.scales.x!.min;
    const max = u.scales.x!.max;
    if (min != null && max != null) ui.setRange(min * 1000, max * 1000, u);
  };
  const follow = (u: uPlot): void => {
    ui.views.push({
      id: u,
      setRange(fromMs, toMs) {
        u.setScale("x", { min: fromMs / 1000, max: toMs / 1000 });
      },
    });
  };
  const tint = (hex: string, k: number): string => {
    // Darkens a colour for the k-th f, so each f of one outcome has its own shade.
    const f = Math.max(0.45, 1 - 0.18 * k);
    const c = [1, 3, 5].map((p) => Math.round(parseInt(hex.slice(p, p + 2), 16) * f));
    return `rgb(${c.join(",")})`;
  };

  const latencyEl = document.getElementById("chart-latency");
  if (latencyEl && n > 0) {
    const xs: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) xs[i] = o.inv[i]! / 1000;
    const keyOf = new Map<string, number>();
    const series: uPlot.Series[] = [{ label: "time (s)" }];
    const ys: (number | null)[][] = [];
    const seriesOps: number[][] = [];
    for (let i = 0; i < n; i++) {
      const lat = o.lat[i]!;
      if (lat < 0) continue;
      const k = `${o.f[i]}:${o.type[i]}`;
      let s = keyOf.get(k);
      if (s === undefined) {
        s = ys.length;
        keyOf.set(k, s);
        ys.push(new Array<number | null>(n).fill(null));
        seriesOps.push([]);
        const color = tint(ui.typeColors[o.type[i]!]!, o.f[i]!);
        series.push({
          label: `${o.fs[o.f[i]!]} ${ui.typeNames[o.type[i]!]}`,
          stroke: color,
          fill: color,
          width: 0,
          points: { show: false },
          paths: (u: uPlot, sidx: number, i0: number, i1: number) => {
            const ctx = u.ctx;
            const { left, top, width: w, height } = u.bbox;
            const data = u.data[sidx] as (number | null)[];
            const size = 3 * ui.dpr;
            ctx.save();
            ctx.beginPath();
            ctx.rect(left, top, w, height);
            ctx.clip();
            ctx.fillStyle = color;
            // One path and one fill per series: a fill per point is ten times slower without a GPU.
            const path = new Path2D();
            for (let j = i0; j <= i1; j++) {
              const y = data[j];
              if (y == null) continue;
              const px = u.valToPos(xs[j]!, "x", true);
              const py = u.valToPos(y, "y", true);
              path.rect(px - size / 2, py - size / 2, size, size);
            }
            ctx.fill(path);
            ctx.restore();
            return null;
          },
        });
      }
      ys[s]![i] = lat > 0 ? lat : 0.001;
      seriesOps[s]!.push(i);
    }
    if (ys.length > 0) {
      const u = new U(
        {
          width: width(latencyEl),
          height: 320,
          scales: { x: { time: false }, y: { distr: 3 } },
          axes: [{ label: "time since the run started (s)" }, { label: "latency (ms, log)" }],
          series,
          legend: { live: false },
          cursor: { points: { show: false }, drag: { x: true, y: false } },
          hooks: {
            ...shadeHook,
            setScale: [(u: uPlot, key: string) => key === "x" && xRange(u)],
            setCursor: [
              (u: uPlot) => {
                const left = u.cursor.left ?? -1;
                const top = u.cursor.top ?? -1;
                const idx = u.cursor.idx;
                if (left < 0 || idx == null) return ui.hideTip();
                // The nearest drawn point to the cursor, looking a few hundred ops either side of the x index.
                let best = -1;
                let bestD = 64;
                for (let j = Math.max(0, idx - 300); j < Math.min(n, idx + 300); j++) {
                  if (o.lat[j]! < 0) continue;
                  const s = keyOf.get(`${o.f[j]}:${o.type[j]}`)!;
                  if (!u.series[s + 1]!.show) continue;
                  const dx = u.valToPos(xs[j]!, "x") - left;
                  const dy = u.valToPos(o.lat[j]! || 0.001, "y") - top;
                  const d = dx * dx + dy * dy;
                  if (d < bestD) {
                    bestD = d;
                    best = j;
                  }
                }
                if (best < 0) return ui.hideTip();
                const r = u.over.getBoundingClientRect();
                ui.showTip(r.left + left, r.top + top, ui.describeOp(best));
              },
            ],
          },
        },
        [xs, ...ys],
        latencyEl,
      );
      u.over.addEventListener("mouseleave", () => ui.hideTip());
      follow(u);
      charts.push(u);
    }
  }

  const tpEl = document.getElementById("chart-throughput");
  if (tpEl && data.throughput.series.length > 0) {
    const fIndex = new Map(o.fs.map((f, i) => [f, i]));
    const u = new U(
      {
        width: width(tpEl),
        height: 240,
        scales: { x: { time: false } },
        axes: [{ label: "time since the run started (s)" }, { label: "completed ops/s" }],
        series: [
          { label: "time (s)" },
          ...data.throughput.series.map((s) => ({
            label: `${s.f} ${s.type}`,
            stroke: tint(ui.typeColors[ui.typeNames.indexOf(s.type)]!, fIndex.get(s.f) ?? 0),
            width: 1.5,
            points: { show: false },
          })),
        ],
        cursor: { drag: { x: true, y: false } },
        hooks: { ...shadeHook, setScale: [(u: uPlot, key: string) => key === "x" && xRange(u)] },
      },
      [data.throughput.t.map((t) => t / 1000), ...data.throughput.series.map((s) => s.rate)],
      tpEl,
    );
    follow(u);
    charts.push(u);
  }

  const lagEl = document.getElementById("chart-lag");
  const lag = data.lag;
  if (lagEl && lag && lag.series.length > 0) {
    const palette = ["#4e79a7", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f"];
    const series: uPlot.Series[] = [{ label: "time (s)" }];
    const ys: (number | null)[][] = [];
    lag.series.forEach((s, i) => {
      series.push({
        label: `${s.node} bytes behind`,
        stroke: palette[i % palette.length],
        width: 1.5,
        scale: "bytes",
      });
      ys.push(s.bytes);
    });
    lag.seconds.forEach((s, i) => {
      series.push({
        label: `${s.node} lag (s)`,
        stroke: palette[i % palette.length],
        dash: [4, 4],
        width: 1,
        scale: "s",
      });
      ys.push(s.lag);
    });
    const u = new U(
      {
        width: width(lagEl),
        height: 240,
        scales: { x: { time: false } },
        axes: [
          { label: "time since the run started (s)" },
          { label: "bytes behind the leader", scale: "bytes" },
          ...(lag.seconds.length > 0 ? [{ label: "seconds since last ack", scale: "s", side: 1 }] : []),
        ],
        series,
        cursor: { drag: { x: true, y: false } },
        hooks: { ...shadeHook, setScale: [(u: uPlot, key: string) => key === "x" && xRange(u)] },
      },
      [lag.t.map((t) => t / 1000), ...ys],
      lagEl,
    );
    follow(u);
    charts.push(u);
  }

  window.addEventListener("resize", () => {
    for (const u of charts)
      u.setSize({ width: width(u.root.parentElement ?? document.body), height: u.height });
  });
  return charts;
}
