import { clientData } from "./client-data.js";
import { renderFailoverExplanations } from "./failover-explanations.js";
import { reportScript } from "./client-script.js";
import { escapeHtml as e } from "./escape-html.js";
import { renderPage } from "./page.js";
import { renderClusterPicture } from "./render-cluster.js";
import { renderCycles } from "./render-cycles.js";
import { renderLinearizable } from "./render-linearizable.js";
import { renderStories } from "./render-stories.js";
import type { ReportData } from "./report-data.js";

/** Rows a folded list shows at most (its count is always the whole). */
const MAX_ROWS = 500;
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
 * Renders a run's `report.html`. Its first screen is the verdict with its headline (writes lost, faults, leaders)
 * and the cluster picture: faults, who led and who accepted writes per data node, client outcomes and lost writes
 * in one view, then every fault in words. Below: the checkers' verdicts, every anomaly told in plain language and
 * tied to the faults and failovers around it, the configuration, latency (a point per op), throughput and
 * replication-lag charts with the fault windows shaded (uPlot, inlined), Jepsen's per-process timeline on a
 * canvas, the linearizability counterexample per key, list-append cycles drawn, and long lists (leader changes,
 * failover-manager events, lost writes) folded behind their counts.
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
  const badges = d.checkers
    .map(
      (c) =>
        `<span class="checker-badge">${e(c.name)} <span class="verdict ${verdictClass(c.valid)}">${verdictText(c.valid)}</span></span>`,
    )
    .join(" ");
  const settings = d.settings.map((s) => `<div><span>${e(s.name)}</span><b>${e(s.value)}</b></div>`).join("");
  const counts = Object.entries(d.counts)
    .map(
      ([f, c]) =>
        `<tr><td>${e(f)}</td><td class="num">${c.ok}</td><td class="num">${c.fail}</td><td class="num">${c.info}</td></tr>`,
    )
    .join("");
  const opCount = d.ops.inv.length;
  const body = `<header id="summary">
<h1>${e(d.title)}</h1>
<p><span class="verdict big ${verdictClass(d.valid)}" id="verdict">${verdict}</span> ${headline(d)}</p>
<p class="meta">${badges} · seed <code>${d.seed}</code>${d.testName ? ` · test <code>${e(d.testName)}</code>` : ""} · ${opCount.toLocaleString("en")} client ops, ${d.historySize.toLocaleString("en")} history entries · replay with <code>faultline run --config ${e(d.runDir)}</code></p>
${incomplete(d.missing)}
</header>
${renderClusterPicture(d)}
<h2>Verdicts</h2>
<table><tr><th>checker</th><th>verdict</th><th>summary</th><th>anomalies / reason</th></tr>${checkers}</table>
<h2 id="anomalies">What went wrong</h2>
${renderStories(d.stories, d.valid)}
${settings ? `<h2>Configuration</h2><div class="settings">${settings}<div><span>seed</span><b>${d.seed}</b></div></div>` : ""}
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
<h2>Cluster details</h2>
${writeAvailabilityTable(d)}
${lossWindows(d)}
${leaderChanges(d)}
${managerEvents(d)}
<h3>Failovers, explained</h3>
${renderFailoverExplanations(d.failovers)}
<h2>Client operations</h2>
<table><tr><th>f</th><th>ok</th><th>fail</th><th>info</th></tr>${counts}</table>
${lostWrites(d)}
<p class="meta">Run <code>${e(d.runDir)}</code></p>
`;
  return renderPage({
    title: `${d.title} — faultline`,
    body,
    data: clientData(d),
    script: reportScript(),
    uplot: true,
  });
}

/**
 * The verdict's headline, beside it on the first screen: writes lost (when a set checker counted them), the
 * faults, the leaders in turn, the failovers the monitor explained (those nobody scheduled marked), and split
 * brain when two nodes accepted writes at once.
 */
export function headline(d: ReportData): string {
  const facts: string[] = [];
  const set = d.checkers.some((c) => c.name === "set" || c.name === "set-full");
  if (set || d.lostCount > 0)
    facts.push(
      fact(
        d.lostCount,
        d.lostCount === 1 ? "acknowledged write lost" : "acknowledged writes lost",
        d.lostCount > 0,
      ),
    );
  const a = d.availability;
  if (a.attempted > 0) {
    const waited = a.failed + a.unknown;
    const text =
      a.longestMs > 0
        ? `writes unavailable, the longest stretch with none acknowledged (${sec(a.totalMs)} in ${a.stretchCount} ${a.stretchCount === 1 ? "stretch" : "stretches"}; ${waited.toLocaleString("en")} ${waited === 1 ? "write" : "writes"} refused or unknown)`
        : "writes unavailable (every write tried was acknowledged)";
    facts.push(
      `<span class="fact${a.longestMs >= 1000 ? " bad" : ""}"><b>${sec(a.longestMs)}</b> ${e(text)}</span>`,
    );
  }
  const notApplied = d.notApplied.length > 0 ? ` (${d.notApplied.length} more not applied)` : "";
  facts.push(fact(d.faults.length, `${d.faults.length === 1 ? "fault" : "faults"}${notApplied}`, false));
  const named: string[] = [];
  for (const l of d.leaders) {
    const name = l.leader ?? "none";
    if (named.at(-1) !== name) named.push(name);
  }
  const changes = Math.max(0, named.filter((n) => n !== "none").length - 1);
  if (named.length > 0) {
    const shown = named.length <= 6 ? named : [...named.slice(0, 2), "…", ...named.slice(-2)];
    facts.push(
      `<span class="fact"><b>${e(shown.join(" → "))}</b> leader${changes === 0 ? "" : ` (${changes} ${changes === 1 ? "change" : "changes"})`}</span>`,
    );
  } else facts.push(`<span class="fact">no leader reported</span>`);
  if (d.failovers.length > 0) {
    const unscheduled = d.failovers.filter((f) => f.unscheduled).length;
    const text = `${d.failovers.length === 1 ? "failover" : "failovers"}${unscheduled > 0 ? ` (${unscheduled} nobody scheduled)` : ""}`;
    facts.push(fact(d.failovers.length, text, unscheduled > 0));
  }
  const split = splitBrainMs(d);
  if (split > 0)
    facts.push(
      `<span class="fact bad"><b>${(split / 1000).toFixed(1)} s</b> of split brain (two nodes accepting writes)</span>`,
    );
  return facts.join("");
}

function fact(n: number, text: string, bad: boolean): string {
  return `<span class="fact${bad ? " bad" : ""}"><b>${n.toLocaleString("en")}</b> ${e(text)}</span>`;
}

/** How long two or more nodes accepted writes at once, in ms. */
function splitBrainMs(d: ReportData): number {
  let total = 0;
  d.writable.forEach((w, i) => {
    if (w.nodes.length > 1) total += (d.writable[i + 1]?.atMs ?? d.endMs) - w.atMs;
  });
  return total;
}

function leaderChanges(d: ReportData): string {
  if (d.leaders.length === 0) return `<h3>Leader changes (0)</h3><p class="note">none recorded</p>`;
  const rows = d.leaders.map((l) => `<li>${sec(l.atMs)} → ${e(l.leader ?? "none agreed")}</li>`).join("");
  return `<details id="leader-changes"><summary>Leader changes, as the failover managers report them (${d.leaders.length})</summary><ul>${rows}</ul></details>`;
}

function managerEvents(d: ReportData): string {
  if (d.events.length === 0) return "";
  const rows = d.events
    .slice(0, MAX_ROWS)
    .map(
      (ev) =>
        `<tr><td class="num">${sec(ev.atMs)}</td><td>${e(ev.manager)}</td><td>${e(ev.kind)}</td><td>${e(ev.node ?? "")}</td><td>${e(ev.event)} ${e(ev.text)}</td></tr>`,
    )
    .join("");
  const cut =
    d.events.length > MAX_ROWS
      ? `<p class="note">the first ${MAX_ROWS} of ${d.events.length}; history.jsonl has them all (monitor <code>manager-event</code>)</p>`
      : "";
  return `<details id="manager-events"><summary>Failover-manager events (${d.events.length})</summary>${cut}<table><tr><th>at</th><th>manager</th><th>kind</th><th>node</th><th>as the store says it</th></tr>${rows}</table></details>`;
}

function lostWrites(d: ReportData): string {
  if (d.lostCount === 0 && d.lost.length === 0) return "";
  const rows = d.lost
    .slice(0, MAX_ROWS)
    .map(
      (l) =>
        `<tr><td><code>${e(JSON.stringify(l.element))}</code></td><td class="num">${sec(l.ackedMs)}</td><td>${e(l.node ?? "?")}</td></tr>`,
    )
    .join("");
  const cut =
    d.lost.length > MAX_ROWS
      ? `<p class="note">the first ${MAX_ROWS} of ${d.lost.length}; results.json lists the first ones and names the file with them all</p>`
      : "";
  return `<details id="lost-writes"><summary>Lost writes (${d.lostCount})</summary>${cut}<table><tr><th>element</th><th>acknowledged at</th><th>served by</th></tr>${rows}</table></details>`;
}

/** The mark of an incomplete run, on the first screen: it is never valid, and this says what is missing. */
function incomplete(missing: readonly string[]): string {
  if (missing.length === 0) return "";
  const items = missing.map((m) => `<li>${e(m)}</li>`).join("");
  return `<div class="incomplete" id="incomplete"><b>Incomplete run</b> — the verdict is at best unknown: <ul>${items}</ul></div>`;
}

/**
 * The stretches in which writes were tried and none was acknowledged (`results.json`'s `writeAvailability`), the
 * longest first, with how the writes tried in them ended.
 */
function writeAvailabilityTable(d: ReportData): string {
  const a = d.availability;
  if (a.stretches.length === 0) return "";
  const rows = a.stretches
    .map(
      (s) =>
        `<tr><td class="num">${sec(s.fromMs)}</td><td class="num">${sec(s.toMs)}</td><td class="num">${sec(s.lengthMs)}</td><td class="num">${s.failed}</td><td class="num">${s.unknown}</td></tr>`,
    )
    .join("");
  const shown = a.stretchCount > a.stretches.length ? `the ${a.stretches.length} longest of ` : "";
  return `<details id="write-availability" open><summary>Writes unavailable: longest ${sec(a.longestMs)}, ${sec(a.totalMs)} in all (${shown}${a.stretchCount} ${a.stretchCount === 1 ? "stretch" : "stretches"})</summary><p class="note">From the last acknowledged write to the next, while writes were tried and ended refused (fail) or unknown (info): ${a.acknowledged.toLocaleString("en")} of ${a.attempted.toLocaleString("en")} writes acknowledged, ${a.failed.toLocaleString("en")} refused, ${a.unknown.toLocaleString("en")} unknown.</p><table><tr><th>from</th><th>to</th><th>length</th><th>refused</th><th>unknown</th></tr>${rows}</table></details>`;
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
