import { escapeHtml as e } from "./escape-html.js";
import type { ReportData } from "./report-data.js";
import { TIMELINE_LEGEND, timelineSvg } from "./timeline-svg.js";

/** Fault lines shown open on the first screen; the rest fold behind their count. */
const FAULTS_OPEN = 5;
const sec = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

/**
 * The report's first screen below the verdict: the cluster picture (faults, a row per data node with who led and
 * who accepted writes, client outcomes, writes lost), its legend, and every fault in words with when it was in
 * effect — the first few open, the rest behind their count — and the nemesis's own account when the run has one.
 */
export function renderClusterPicture(d: ReportData): string {
  const legend = TIMELINE_LEGEND.map(
    (l) => `<span><i class="dot" style="${l.swatch}"></i>${e(l.text)}</span>`,
  ).join("");
  return `<section id="cluster">
${timelineSvg(d)}
<p class="legend-dots note">${legend}</p>
${faultList(d)}
</section>`;
}

/** The faults in words: a row per window (and per start that was not applied), never the recorded JSON. */
export function faultList(d: ReportData): string {
  const rows = [
    ...d.faultLines.map((f) => ({
      atMs: f.startMs,
      html: `<tr><td>${e(f.label)}</td><td class="num">${sec(f.startMs)}</td><td class="num">${f.endMs === undefined ? "end" : sec(f.endMs)}</td><td>${e(f.text)}</td></tr>`,
    })),
    ...d.notApplied.map((n) => ({
      atMs: n.atMs,
      html: `<tr class="not-applied"><td>${e(n.fault)}</td><td class="num">${sec(n.atMs)}</td><td class="num">—</td><td>not applied${n.reason ? `: ${e(n.reason)}` : ""}</td></tr>`,
    })),
  ].sort((a, b) => a.atMs - b.atMs);
  const head = `<tr><th>fault</th><th>from</th><th>to</th><th>what was done</th></tr>`;
  const count =
    d.notApplied.length > 0
      ? `${d.faultLines.length} applied, ${d.notApplied.length} not applied`
      : `${d.faultLines.length}`;
  const account = faultAccount(d);
  if (rows.length === 0)
    return `<h3>Faults (0)</h3><p class="note">No fault was in effect in this run.</p>${account}`;
  const open = rows.slice(0, rows.length <= FAULTS_OPEN + 1 ? rows.length : FAULTS_OPEN);
  const rest = rows.slice(open.length);
  const more =
    rest.length === 0
      ? ""
      : `<details><summary>${rest.length} more faults</summary><table class="faults">${head}${rest.map((r) => r.html).join("")}</table></details>`;
  return `<h3>Faults (${count})</h3>${account}<table class="faults" id="faults">${head}${open.map((r) => r.html).join("")}</table>${more}`;
}

/** `results.json`'s `faults`: scheduled, applied, failed, skipped, and each failure's reason. */
function faultAccount(d: ReportData): string {
  const s = d.faultSummary;
  if (!s) return "";
  const failures =
    s.failures.length === 0
      ? ""
      : `<details><summary>${s.failures.length} ${s.failures.length === 1 ? "failure" : "failures"}</summary><ul>${s.failures.map((f) => `<li>${e(f)}</li>`).join("")}</ul></details>`;
  return `<p class="note" id="fault-account">The nemesis's account: ${s.scheduled} scheduled, ${s.applied} applied, ${s.failed} failed, ${s.skipped} skipped.</p>${failures}`;
}
