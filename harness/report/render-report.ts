import { escapeHtml as e } from "./escape-html.js";
import type { ReportData } from "./report-data.js";
import { timelineSvg } from "./timeline-svg.js";

const MAX_LOST_ROWS = 500;

/**
 * Renders the first `report.html` (issue 3 §8): the verdict, the op counts, the lost writes, and a timeline of
 * faults, leader changes and failover-manager events. Self-contained (inline CSS and SVG, no script, no network
 * access); every string that comes from the history is HTML-escaped.
 *
 * @example
 * writeFileSync(dir.files.report, renderReportHtml(buildReportData({ history, results, valid, title, runDir, seed })));
 */
export function renderReportHtml(d: ReportData): string {
  const verdict = d.valid === true ? "valid" : d.valid === false ? "INVALID" : "unknown";
  const counts = Object.entries(d.counts)
    .map(([f, c]) => `<tr><td>${e(f)}</td><td>${c.ok}</td><td>${c.fail}</td><td>${c.info}</td></tr>`)
    .join("");
  const checkers = d.checkers
    .map(
      (c) =>
        `<tr><td>${e(c.name)}</td><td class="v-${e(String(c.valid))}">${e(String(c.valid))}</td><td>${e(c.summary)}</td></tr>`,
    )
    .join("");
  const lostRows = d.lost
    .slice(0, MAX_LOST_ROWS)
    .map(
      (l) =>
        `<tr><td>${e(JSON.stringify(l.element))}</td><td>${(l.ackedMs / 1000).toFixed(3)} s</td><td>${e(l.node ?? "?")}</td></tr>`,
    )
    .join("");
  const faults = d.faults
    .map(
      (f) =>
        `<tr><td>${e(f.fault)}</td><td>${(f.startMs / 1000).toFixed(3)} s</td><td>${f.endMs === undefined ? "—" : `${(f.endMs / 1000).toFixed(3)} s`}</td><td><code>${e(JSON.stringify(f.detail))}</code></td></tr>`,
    )
    .join("");
  const leaders = d.leaders
    .map((l) => `${(l.atMs / 1000).toFixed(3)} s → ${e(l.leader ?? "none agreed")}`)
    .join("<br>");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(d.title)} — faultline</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} table{border-collapse:collapse;margin:.5em 0 1.5em} td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}
.verdict{font-size:1.3em;font-weight:bold;padding:.3em .6em;display:inline-block;border-radius:4px}
.v-true,.valid{background:#e3f4e1} .v-false,.INVALID{background:#fbe0e0} .v-unknown,.unknown{background:#fff3cd}
svg text.row{font-size:12px;fill:#444} svg text.in{font-size:10px;fill:#fff} svg text.tick{font-size:10px;fill:#666;text-anchor:middle}
code{font-size:12px;word-break:break-all}
</style></head><body>
<h1>${e(d.title)}</h1>
<p>Run <code>${e(d.runDir)}</code> · seed <code>${d.seed}</code></p>
<p class="verdict ${verdict}">${verdict}</p>
<p>${d.lostCount} acknowledged writes lost · ${d.unexpectedCount} unexpected · ${d.recoveredCount} indeterminate writes recovered</p>
${lossWindows(d)}
<h2>Timeline</h2>
${timelineSvg(d)}
<h2>Checkers</h2>
<table><tr><th>checker</th><th>valid</th><th>summary</th></tr>${checkers}</table>
<h2>Client operations</h2>
<table><tr><th>f</th><th>ok</th><th>fail</th><th>info</th></tr>${counts}</table>
<h2>Faults</h2>
<table><tr><th>fault</th><th>start</th><th>end</th><th>what was done</th></tr>${faults}</table>
<h2>Leader changes (as the failover managers report them)</h2>
<p>${leaders || "none recorded"}</p>
<h2>Lost writes (${d.lostCount})</h2>
${d.lost.length > MAX_LOST_ROWS ? `<p>first ${MAX_LOST_ROWS} of ${d.lost.length}; results.json lists them all</p>` : ""}
<table><tr><th>element</th><th>acknowledged at</th><th>served by</th></tr>${lostRows}</table>
</body></html>
`;
}

function lossWindows(d: ReportData): string {
  if (d.lossWindows.length === 0) return "";
  const rows = d.lossWindows
    .map(
      (w) =>
        `<tr><td>${e(w.fault ?? "before any fault")}</td><td>${(w.fromMs / 1000).toFixed(3)} s</td><td>${(w.toMs / 1000).toFixed(3)} s</td><td>${((w.toMs - w.fromMs) / 1000).toFixed(3)} s</td><td>${w.lost}</td></tr>`,
    )
    .join("");
  return `<table><tr><th>loss window after</th><th>from</th><th>to (last lost write acknowledged)</th><th>length</th><th>lost</th></tr>${rows}</table>`;
}
