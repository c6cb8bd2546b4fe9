import { clientData } from "./client-data.js";
import { renderFailoverExplanations } from "./failover-explanations.js";
import { reportScript } from "./client-script.js";
import { escapeHtml as e } from "./escape-html.js";
import { renderPage } from "./page.js";
import { renderCycles } from "./render-cycles.js";
import { renderLinearizable } from "./render-linearizable.js";
import { renderStories } from "./render-stories.js";
import type { ReportData } from "./report-data.js";
import { timelineSvg } from "./timeline-svg.js";

const MAX_LOST_ROWS = 500;
const sec = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

/** `valid`, `INVALID` or `unknown`, as the report prints a verdict. */
export function verdictText(v: unknown): string {
  return v === true ? "valid" : v === false ? "INVALID" : "unknown";
}

/** The CSS class of a verdict: `v-true`, `v-false`, `v-unknown`. */
export function verdictClass(v: unknown): string {
  return v === true ? "v-true" : v === false ? "v-false" : "v-unknown";
}

/**
 * Renders a run's `report.html`: the checkers' verdicts with the configuration and seed on top, every anomaly
 * told in plain language and tied to the faults and failovers around it, latency (a point per op), throughput and
 * replication-lag charts with the fault windows shaded (uPlot, inlined), Jepsen's per-process timeline on a
 * canvas, the linearizability counterexample per key, list-append cycles drawn, and the cluster's own timeline.
 * One self-contained file: it opens from disk and fetches nothing (its Content-Security-Policy forbids it); every
 * string from the history is escaped.
 *
 * @example
 * writeFileSync(dir.files.report, renderReportHtml(buildReportData({ history, results, valid, title, runDir, seed, config })));
 */
export function renderReportHtml(d: ReportData): string {
  const verdict = verdictText(d.valid);
  const checkers = d.checkers
    .map(
      (c) =>
        `<tr><td>${e(c.name)}</td><td><span class="verdict ${verdictClass(c.valid)}">${verdictText(c.valid)}</span></td><td>${e(c.summary)}</td><td>${c.anomalyKinds.map((k) => `${e(k.kind)}${k.count > 1 ? ` ×${k.count}` : ""}`).join(", ")}${c.reason ? e(c.reason) : ""}</td></tr>`,
    )
    .join("");
  const settings = d.settings.map((s) => `<div><span>${e(s.name)}</span><b>${e(s.value)}</b></div>`).join("");
  const counts = Object.entries(d.counts)
    .map(
      ([f, c]) =>
        `<tr><td>${e(f)}</td><td class="num">${c.ok}</td><td class="num">${c.fail}</td><td class="num">${c.info}</td></tr>`,
    )
    .join("");
  const lostRows = d.lost
    .slice(0, MAX_LOST_ROWS)
    .map(
      (l) =>
        `<tr><td><code>${e(JSON.stringify(l.element))}</code></td><td class="num">${sec(l.ackedMs)}</td><td>${e(l.node ?? "?")}</td></tr>`,
    )
    .join("");
  const faults = d.faults
    .map(
      (f) =>
        `<tr><td>${e(f.fault)}${f.uncertain ? " (outcome unknown)" : ""}</td><td class="num">${sec(f.startMs)}</td><td class="num">${f.endMs === undefined ? "—" : sec(f.endMs)}</td><td><code>${e(JSON.stringify(f.detail))}</code></td></tr>`,
    )
    .join("");
  const leaders = d.leaders.map((l) => `${sec(l.atMs)} → ${e(l.leader ?? "none agreed")}`).join("<br>");
  const opCount = d.ops.inv.length;
  const body = `<header>
<h1>${e(d.title)}</h1>
<p><span class="verdict big ${verdictClass(d.valid)}">${verdict}</span>
 &nbsp;seed <code>${d.seed}</code>${d.testName ? ` · test <code>${e(d.testName)}</code>` : ""} · ${opCount.toLocaleString("en")} client ops, ${d.historySize.toLocaleString("en")} history entries</p>
<p class="meta">Run <code>${e(d.runDir)}</code> · replay with <code>faultline run --config ${e(d.runDir)}</code></p>
${incomplete(d.missing)}
</header>
<h2>Verdicts</h2>
<table><tr><th>checker</th><th>verdict</th><th>summary</th><th>anomalies / reason</th></tr>${checkers}</table>
${settings ? `<h2>Configuration</h2><div class="settings">${settings}<div><span>seed</span><b>${d.seed}</b></div></div>` : ""}
<h2 id="anomalies">What went wrong</h2>
${renderStories(d.stories, d.valid)}
<noscript><p class="note">The charts and the timeline need JavaScript; everything else on this page is plain HTML.</p></noscript>
<h2>Latency</h2>
<p class="note">One point per client op at its invoke time, coloured by outcome (<span style="color:var(--ok)">ok</span>, <span style="color:var(--fail)">fail</span>, <span style="color:var(--info)">info</span>; a shade per operation); fault windows shaded orange, leader changes dashed purple. Drag to zoom (every chart and the timeline follow), double-click to reset; hover a point for the op.</p>
<div id="chart-latency" class="chart"></div>
<h2>Throughput</h2>
<div id="chart-throughput" class="chart"></div>
<h2>Replication lag</h2>
${d.lag ? `<div id="chart-lag" class="chart"></div>` : `<p class="note">Not sampled in this run: its history holds no <code>replication-positions</code> samples from the monitor.</p>`}
<h2>Timeline</h2>
<p class="note">A row per worker (a retired process's successor continues on its row), a bar per op from invoke to completion; ops an anomaly names are outlined red. Wheel to zoom, drag to pan, double-click to reset, hover for details.
 <button type="button" id="timeline-in">zoom in</button> <button type="button" id="timeline-out">zoom out</button> <button type="button" id="timeline-reset">whole run</button></p>
<div id="timeline"></div>
${d.linearizable.length > 0 ? `<h2>Linearizability per key</h2>${renderLinearizable(d.linearizable)}` : ""}
${d.cycles.length > 0 ? `<h2>Dependency cycles</h2>${renderCycles(d.cycles)}` : ""}
<h2>Cluster</h2>
${lossWindows(d)}
${timelineSvg(d)}
<h3>Faults</h3>
<table><tr><th>fault</th><th>start</th><th>end</th><th>what was done</th></tr>${faults}</table>
<h3>Leader changes (as the failover managers report them)</h3>
<p>${leaders || "none recorded"}</p>
<h3>Failovers, explained</h3>
${renderFailoverExplanations(d.failovers)}
<h2>Client operations</h2>
<table><tr><th>f</th><th>ok</th><th>fail</th><th>info</th></tr>${counts}</table>
${d.lostCount > 0 || d.lost.length > 0 ? `<h3>Lost writes (${d.lostCount})</h3>${d.lost.length > MAX_LOST_ROWS ? `<p class="note">first ${MAX_LOST_ROWS} of ${d.lost.length}; results.json lists the first ones and names the file with them all</p>` : ""}<table><tr><th>element</th><th>acknowledged at</th><th>served by</th></tr>${lostRows}</table>` : ""}
`;
  return renderPage({
    title: `${d.title} — faultline`,
    body,
    data: clientData(d),
    script: reportScript(),
    uplot: true,
  });
}

/** The mark of an incomplete run, on the first screen: it is never valid, and this says what is missing. */
function incomplete(missing: readonly string[]): string {
  if (missing.length === 0) return "";
  const items = missing.map((m) => `<li>${e(m)}</li>`).join("");
  return `<div class="incomplete" id="incomplete"><b>Incomplete run</b> — the verdict is at best unknown: <ul>${items}</ul></div>`;
}

function lossWindows(d: ReportData): string {
  if (d.lossWindows.length === 0) return "";
  const rows = d.lossWindows
    .map(
      (w) =>
        `<tr><td>${e(w.fault ?? "before any fault")}</td><td class="num">${sec(w.fromMs)}</td><td class="num">${sec(w.toMs)}</td><td class="num">${sec(w.toMs - w.fromMs)}</td><td class="num">${w.lost}</td></tr>`,
    )
    .join("");
  return `<table><tr><th>loss window after</th><th>from</th><th>to (last lost write acknowledged)</th><th>length</th><th>lost</th></tr>${rows}</table>`;
}
