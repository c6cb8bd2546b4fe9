import { escapeHtml as e, renderPage, verdictClass, verdictText } from "../report/index.js";
import { faultlineCampaignCharts, type CampaignClientData } from "./campaign-client.js";
import type { CampaignCellResult, CampaignResults } from "./campaign-results.js";
import { formatDuration } from "./campaign-eta.js";

const STATUS_TEXT: Record<string, string> = {
  error: "error",
  interrupted: "interrupted",
  "not-run": "not run",
};
const num = (v: number | null | undefined): string => (v === null || v === undefined ? "—" : String(v));

/** A cell's verdict badge, linking to its run report when there is one. */
function badge(c: CampaignCellResult): string {
  const text = c.status === "done" ? verdictText(c.valid) : (STATUS_TEXT[c.status] ?? c.status);
  const cls = c.status === "done" ? verdictClass(c.valid) : "v-none";
  const span = `<span class="verdict ${cls}">${e(text)}</span>`;
  return c.report ? `<a href="${e(c.report)}">${span}</a>` : span;
}

function metricsLine(c: CampaignCellResult): string {
  const m = c.metrics;
  if (!m) return c.error ? `<div class="cell-metrics">${e(c.error)}</div>` : "";
  return `<div class="cell-metrics">lost ${num(m.lost)} · info ${m.writes.info} · fail ${m.writes.fail} · ok ${m.writes.ok}<br>write p50 ${num(m.writeLatencyMs.p50)} ms · p99 ${num(m.writeLatencyMs.p99)} ms</div>`;
}

/**
 * A campaign's `report.html`: the overall verdict, a matrix (a row per workload × nemesis, a column per store
 * (with a store axis) × replication mode, each cell every seed's verdict and figures, linking to its run report),
 * bar charts of lost,
 * info and failed writes and write latency per run, and the full table. Self-contained like a run report; links
 * are relative, so the campaign directory can be moved or uploaded as a CI artifact whole.
 *
 * @example
 * writeFileSync(join(dir, "report.html"), renderCampaignReport(results));
 */
export function renderCampaignReport(r: CampaignResults): string {
  const counts = { valid: 0, invalid: 0, unknown: 0, other: 0 };
  for (const c of r.cells) {
    if (c.status !== "done") counts.other++;
    else if (c.valid === true) counts.valid++;
    else if (c.valid === false) counts.invalid++;
    else counts.unknown++;
  }
  const label = (v: string | undefined): string => v ?? "default";
  const rows = [...new Set(r.cells.map((c) => `${label(c.workload)}\u0000${label(c.nemesis)}`))];
  // A column per store × replication mode (the store only when the campaign has a store axis).
  const withStore = r.cells.some((c) => c.store !== undefined);
  const colOf = (c: CampaignCellResult): string => `${c.store ?? ""}\u0000${label(c.replication)}`;
  const cols = [...new Set(r.cells.map(colOf))];
  const colHead = (col: string): string => {
    const [store, replication] = col.split("\u0000") as [string, string];
    return `<th>${withStore ? `<span class="store">${e(store || "default store")}</span><br>` : ""}replication ${e(replication)}</th>`;
  };
  const matrix = `<table class="matrix"><tr><th>workload</th><th>nemesis</th>${cols.map(colHead).join("")}</tr>
${rows
  .map((row) => {
    const [w, n] = row.split("\u0000") as [string, string];
    const cells = cols
      .map((col) => {
        const here = r.cells.filter(
          (c) => label(c.workload) === w && label(c.nemesis) === n && colOf(c) === col,
        );
        return `<td>${here
          .map(
            (c) =>
              `<div data-cell="${e(c.id)}">${badge(c)} <span class="note">seed ${c.seed}</span>${metricsLine(c)}</div>`,
          )
          .join("")}</td>`;
      })
      .join("");
    return `<tr><td>${e(w)}</td><td>${e(n)}</td>${cells}</tr>`;
  })
  .join("\n")}</table>`;
  const table = `<table><tr><th>run</th><th>verdict</th><th>lost</th><th>writes ok</th><th>info</th><th>fail</th><th>write p50 ms</th><th>write p99 ms</th><th>anomalies</th><th>took</th></tr>
${r.cells
  .map((c) => {
    const m = c.metrics;
    const name = c.report ? `<a href="${e(c.report)}">${e(c.label)}</a>` : e(c.label);
    return `<tr><td>${name}</td><td>${badge(c)}</td><td class="num">${num(m?.lost)}</td><td class="num">${num(m?.writes.ok)}</td><td class="num">${num(m?.writes.info)}</td><td class="num">${num(m?.writes.fail)}</td><td class="num">${num(m?.writeLatencyMs.p50)}</td><td class="num">${num(m?.writeLatencyMs.p99)}</td><td>${e(m?.anomalyKinds.join(", ") ?? c.error ?? "")}</td><td class="num">${c.elapsedMs === null ? "—" : formatDuration(c.elapsedMs)}</td></tr>`;
  })
  .join("\n")}</table>`;
  const data: CampaignClientData = {
    labels: r.cells.map(
      (c) =>
        [
          ...(c.store === undefined ? [] : [c.store]),
          ...[c.workload, c.nemesis, c.replication].map(label),
        ].join(" · ") + ` · s${c.seed}`,
    ),
    reports: r.cells.map((c) => c.report),
    lost: r.cells.map((c) => c.metrics?.lost ?? null),
    info: r.cells.map((c) => c.metrics?.writes.info ?? null),
    fail: r.cells.map((c) => c.metrics?.writes.fail ?? null),
    p50: r.cells.map((c) => c.metrics?.writeLatencyMs.p50 ?? null),
    p99: r.cells.map((c) => c.metrics?.writeLatencyMs.p99 ?? null),
  };
  const body = `<header>
<h1>Campaign ${e(r.name)}</h1>
${r.description ? `<p>${e(r.description)}</p>` : ""}
<p><span class="verdict big ${verdictClass(r.valid)}">${verdictText(r.valid)}</span> &nbsp;${r.cells.length} runs: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.unknown} unknown${counts.other > 0 ? `, ${counts.other} without a verdict` : ""}${r.interrupted ? " · interrupted" : ""}</p>
<p class="meta">File <code>${e(r.file)}</code> · directory <code>${e(r.dir)}</code> · started ${e(r.startedAt)}${r.finishedAt ? ` · finished ${e(r.finishedAt)}` : ""} · campaign seed <code>${r.seed}</code></p>
</header>
<h2>Configurations</h2>
<p class="note">Each cell: the run's verdict (a link to its report), then lost acknowledged writes, writes of unknown outcome (info), failed writes and acknowledged write latency.</p>
${matrix}
<h2>Lost writes</h2><div id="chart-lost" class="chart"></div>
<p class="note">Counted by the <code>set</code> and <code>set-full</code> checkers; other workloads' anomalies (a non-linearizable register, a dependency cycle) are in the table below and in each run's report.</p>
<h2>Writes of unknown outcome and failed writes</h2><div id="chart-uncertain" class="chart"></div>
<h2>Write latency</h2><div id="chart-latency" class="chart"></div>
<p class="note">Click a run's bars to open its report.</p>
<h2>Every run</h2>
${table}
`;
  return renderPage({
    title: `Campaign ${r.name} — faultline`,
    body,
    data,
    script: `"use strict";\nvar __name = function (fn) { return fn; };\n${faultlineCampaignCharts.toString()}\nfaultlineCampaignCharts();`,
    uplot: true,
  });
}
