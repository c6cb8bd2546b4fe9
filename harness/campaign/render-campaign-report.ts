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

/** Campaigns up to this many runs also show each run in the matrix, per-run charts and the full table open. */
export const PER_RUN_DETAIL_MAX = 60;

/** One configuration of the matrix (store × workload × nemesis × replication) over its seeds. */
interface ConfigRow {
  key: string;
  anchor: string;
  store: string | undefined;
  workload: string;
  nemesis: string;
  replication: string;
  cells: CampaignCellResult[];
}

const median = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** `median · max` of a distribution over seeds, or a dash. */
function spread(xs: readonly number[], unit = ""): string {
  if (xs.length === 0) return "—";
  const max = Math.max(...xs);
  return `${median(xs)}${unit} · ${max}${unit}`;
}

function configRows(cells: readonly CampaignCellResult[]): ConfigRow[] {
  const label = (v: string | undefined): string => v ?? "default";
  const rows = new Map<string, ConfigRow>();
  for (const c of cells) {
    const key = [c.store ?? "", label(c.workload), label(c.nemesis), label(c.replication)].join("\u0000");
    let row = rows.get(key);
    if (!row) {
      row = {
        key,
        anchor: `cfg-${rows.size + 1}`,
        store: c.store,
        workload: label(c.workload),
        nemesis: label(c.nemesis),
        replication: label(c.replication),
        cells: [],
      };
      rows.set(key, row);
    }
    row.cells.push(c);
  }
  return [...rows.values()];
}

/** Verdict counts of a configuration's runs, and its invalid rate over the runs that have a verdict. */
function tally(cells: readonly CampaignCellResult[]) {
  const done = cells.filter((c) => c.status === "done");
  const invalid = done.filter((c) => c.valid === false).length;
  return {
    runs: cells.length,
    valid: done.filter((c) => c.valid === true).length,
    invalid,
    unknown: done.filter((c) => c.valid === "unknown").length,
    none: cells.length - done.length,
    rate: done.length === 0 ? null : invalid / done.length,
  };
}

/** A heatmap cell's background: white for no invalid run, deepening red as the invalid rate grows; grey without a verdict. */
function heat(rate: number | null): string {
  if (rate === null) return "background:#eee";
  return `background:hsl(0,75%,${Math.round(97 - 45 * rate)}%)`;
}

/**
 * The scaling part of the report: a heatmap of invalid rates (a row per workload × nemesis, a column per store ×
 * replication mode) and a table with one row per configuration — verdict counts over its seeds, lost writes, loss
 * windows and failover times as `median · max` across seeds, and its runs (links) folded away.
 */
function perConfiguration(r: CampaignResults): string {
  const rows = configRows(r.cells);
  const withStore = rows.some((x) => x.store !== undefined);
  const colKey = (x: ConfigRow): string => `${x.store ?? ""}\u0000${x.replication}`;
  const rowKey = (x: ConfigRow): string => `${x.workload}\u0000${x.nemesis}`;
  const cols = [...new Set(rows.map(colKey))];
  const lines = [...new Set(rows.map(rowKey))];
  const colHead = (col: string): string => {
    const [store, replication] = col.split("\u0000") as [string, string];
    return `<th>${withStore ? `<span class="store">${e(store || "default store")}</span><br>` : ""}replication ${e(replication)}</th>`;
  };
  const heatmap = `<table class="heatmap"><tr><th>workload</th><th>nemesis</th>${cols.map(colHead).join("")}</tr>
${lines
  .map((line) => {
    const [w, n] = line.split("\u0000") as [string, string];
    const tds = cols.map((col) => {
      const x = rows.find((y) => rowKey(y) === line && colKey(y) === col);
      if (!x) return "<td></td>";
      const t = tally(x.cells);
      const rate = t.rate === null ? "no verdict" : `${Math.round(100 * t.rate)} % invalid`;
      return `<td style="${heat(t.rate)}" data-config="${e(x.anchor)}"><a href="#${e(x.anchor)}">${t.invalid}/${t.runs - t.none}</a> <span class="note">${rate}${t.none > 0 ? `, ${t.none} without a verdict` : ""}</span></td>`;
    });
    return `<tr><td>${e(w)}</td><td>${e(n)}</td>${tds.join("")}</tr>`;
  })
  .join("\n")}</table>`;
  const table = `<table class="configs"><tr><th>configuration</th><th>runs</th><th>valid</th><th>invalid</th><th>unknown</th><th>no verdict</th><th>lost writes<br><span class="note">median · max</span></th><th>loss window<br><span class="note">median · max</span></th><th>failover<br><span class="note">median · max</span></th><th>each run</th></tr>
${rows
  .map((x) => {
    const t = tally(x.cells);
    const metrics = x.cells.map((c) => c.metrics).filter((m): m is NonNullable<typeof m> => m !== null);
    const lost = metrics.map((m) => m.lost).filter((v): v is number => typeof v === "number");
    const windows = metrics.map((m) => m.lossWindowMs).filter((v): v is number => typeof v === "number");
    const failovers = metrics.flatMap((m) => m.failoverMs ?? []);
    const name = [...(x.store === undefined ? [] : [x.store]), x.workload, x.nemesis, x.replication].join(
      " · ",
    );
    const links = x.cells.map((c) => `${badge(c)}<span class="note"> s${c.seed}</span>`).join(" ");
    return `<tr id="${e(x.anchor)}"><td>${e(name)}</td><td class="num">${t.runs}</td><td class="num">${t.valid}</td><td class="num">${t.invalid}</td><td class="num">${t.unknown}</td><td class="num">${t.none}</td><td class="num">${spread(lost)}</td><td class="num">${spread(windows, " ms")}</td><td class="num">${spread(failovers, " ms")}</td><td><details><summary>${t.runs} ${t.runs === 1 ? "run" : "runs"}</summary>${links}</details></td></tr>`;
  })
  .join("\n")}</table>`;
  return `<h2>Invalid rate per configuration</h2>
<p class="note">Each cell: invalid runs / runs with a verdict, over the configuration's seeds; the redder, the more often an anomaly was found. A cell links to its row below.</p>
${heatmap}
<h2>Per configuration, across seeds</h2>
<p class="note">Lost acknowledged writes, the loss window (first to last acknowledgement of a lost write) and failover time (a fault's start to a new leader named) as median · max over the configuration's runs.</p>
${table}`;
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
  const detail = r.cells.length <= PER_RUN_DETAIL_MAX;
  const body = `<header>
<h1>Campaign ${e(r.name)}</h1>
${r.description ? `<p>${e(r.description)}</p>` : ""}
<p><span class="verdict big ${verdictClass(r.valid)}">${verdictText(r.valid)}</span> &nbsp;${r.cells.length} runs: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.unknown} unknown${counts.other > 0 ? `, ${counts.other} without a verdict` : ""}${r.interrupted ? " · interrupted" : ""}</p>
${r.merged ? `<p class="meta">Merged from ${r.merged.from.length} shards${r.merged.missingShards.length > 0 ? `; <strong>missing ${r.merged.missingShards.length === 1 ? "shard" : "shards"} ${e(r.merged.missingShards.join(", "))}</strong> (their runs have no verdict)` : ""}.</p>` : ""}${r.shard ? `<p class="meta">Shard ${r.shard.index} of ${r.shard.count}: ${r.cells.length} of the campaign's ${r.shard.runs} runs.</p>` : ""}
<p class="meta">File <code>${e(r.file)}</code> · directory <code>${e(r.dir)}</code> · started ${e(r.startedAt)}${r.finishedAt ? ` · finished ${e(r.finishedAt)}` : ""} · campaign seed <code>${r.seed}</code></p>
</header>
${perConfiguration(r)}
${
  detail
    ? `<h2>Configurations, run by run</h2>
<p class="note">Each cell: the run's verdict (a link to its report), then lost acknowledged writes, writes of unknown outcome (info), failed writes and acknowledged write latency.</p>
${matrix}
<h2>Lost writes</h2><div id="chart-lost" class="chart"></div>
<p class="note">Counted by the <code>set</code> and <code>set-full</code> checkers; other workloads' anomalies (a non-linearizable register, a dependency cycle) are in the table below and in each run's report.</p>
<h2>Writes of unknown outcome and failed writes</h2><div id="chart-uncertain" class="chart"></div>
<h2>Write latency</h2><div id="chart-latency" class="chart"></div>
<p class="note">Click a run's bars to open its report.</p>
<h2>Every run</h2>
${table}`
    : `<h2>Every run</h2>
<p class="note">${r.cells.length} runs: per-run charts are drawn for campaigns of up to ${PER_RUN_DETAIL_MAX} runs; the table is folded.</p>
<details><summary>${r.cells.length} runs</summary>${table}</details>`
}
`;
  return renderPage({
    title: `Campaign ${r.name} — faultline`,
    body,
    data: detail
      ? data
      : { ...data, labels: [], reports: [], lost: [], info: [], fail: [], p50: [], p99: [] },
    script: `"use strict";\nvar __name = function (fn) { return fn; };\n${faultlineCampaignCharts.toString()}\nfaultlineCampaignCharts();`,
    uplot: true,
  });
}
