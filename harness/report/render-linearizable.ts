import { escapeHtml as e } from "./escape-html.js";
import type { LinearOp, LinearizableView } from "./linearizable-view.js";

const sec = (ms: number | null): string => (ms === null ? "never" : `${(ms / 1000).toFixed(3)} s`);
const verdict = (v: unknown): string => (v === true ? "valid" : v === false ? "INVALID" : "unknown");

/**
 * The per-key linearizability view: keys and their verdicts; for the key that failed, the tail of the longest
 * linearizable prefix (each op and the model state after it), the op that cannot follow, the state it met, and
 * a lane diagram of those ops in real time (one lane per process) with the breaking op in red.
 */
export function renderLinearizable(views: readonly LinearizableView[]): string {
  return views
    .map((v) => {
      const keys = v.keys
        .map(
          (k) =>
            `<tr><td><code>${e(k.key)}</code></td><td class="v-${e(String(k.valid))}">${verdict(k.valid)}</td><td class="num">${k.ops}</td></tr>`,
        )
        .join("");
      const more =
        v.keysLeftOut > 0 ? `<p class="note">and ${v.keysLeftOut} more keys (results.json)</p>` : "";
      const c = v.counterexample;
      let counter = "";
      if (c) {
        const row = (op: LinearOp, state: string, cls = ""): string =>
          `<tr class="${cls}"><td class="num">${op.index}</td><td class="num">${op.process}</td><td><code>${e(op.description)}</code></td><td>${e(op.type)}</td><td class="num">${sec(op.invokeMs)}</td><td class="num">${sec(op.completeMs)}</td><td><code>${e(state)}</code></td></tr>`;
        const hidden = c.prefixLength === null ? 0 : c.prefixLength - c.prefixTail.length;
        counter = `<h3>Key <code>${e(c.key)}</code>: the longest linearizable prefix and the op that breaks it</h3>
<p>Initial state <code>${e(c.initialState)}</code>. ${
          c.prefixLength === null
            ? "The search that rebuilds the prefix ran out of time."
            : `The longest linearizable prefix has ${c.prefixLength} steps${hidden > 0 ? `; the last ${c.prefixTail.length} are shown` : ""}.`
        } The op <code>${e(c.op.description)}</code> (process ${c.op.process}, invoked at ${sec(c.op.invokeMs)}, ${e(c.context)}) cannot follow it: from state <code>${e(c.stateBefore ?? "?")}</code> the model does not allow it${
          c.conflictingStates && c.conflictingStates.length > 0
            ? `, nor from any state the search reached (${c.conflictingStates.map((s) => `<code>${e(s)}</code>`).join(", ")})`
            : ""
        }.${c.legalSomewhere ? " It was legal from some state the search reached, so a later op failed instead." : ""}</p>
${laneSvg([...c.prefixTail.map((s) => s.op), c.op], c.op)}
<table><tr><th>op</th><th>process</th><th>operation</th><th>outcome</th><th>invoked</th><th>returned</th><th>model state after</th></tr>
${hidden > 0 ? `<tr><td colspan="7" class="note">… ${hidden} earlier steps</td></tr>` : ""}
${c.prefixTail.map((s) => row(s.op, s.stateAfter)).join("\n")}
${row(c.op, "✗ not allowed", "v-false")}
</table>`;
      }
      return `<h3><span class="badge">${e(v.checker)}</span>model ${e(v.model)}: <span class="verdict v-${e(String(v.valid))}">${verdict(v.valid)}</span> over ${v.keyCount} key(s)</h3>
<details${v.valid === true ? "" : " open"}><summary>keys</summary><table><tr><th>key</th><th>verdict</th><th>ops</th></tr>${keys}</table>${more}</details>
${counter}`;
    })
    .join("\n");
}

/** Ops as bars in real time, one lane per process; `breaking` in red. Inline SVG, no script. */
function laneSvg(ops: readonly LinearOp[], breaking: LinearOp): string {
  if (ops.length === 0) return "";
  const W = 900;
  const LEFT = 90;
  const LANE = 22;
  const procs = [...new Set(ops.map((o) => o.process))].sort((a, b) => a - b);
  const start = Math.min(...ops.map((o) => o.invokeMs));
  const end = Math.max(...ops.map((o) => o.completeMs ?? o.invokeMs + 1));
  const span = Math.max(1, end - start);
  const x = (ms: number): number => LEFT + ((W - LEFT - 10) * (ms - start)) / span;
  const h = procs.length * LANE + 24;
  const bars = ops
    .map((o) => {
      const y = procs.indexOf(o.process) * LANE + 3;
      const x0 = x(o.invokeMs);
      const w = Math.max(3, x(o.completeMs ?? end) - x0);
      const fill =
        o === breaking ? "#c62828" : o.type === "ok" ? "#2e8b3e" : o.type === "fail" ? "#e8731e" : "#7d8590";
      return (
        `<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${LANE - 6}" fill="${fill}" rx="2"><title>${e(`${o.description} (process ${o.process}, ${sec(o.invokeMs)} → ${sec(o.completeMs)})`)}</title></rect>` +
        (w > 50
          ? `<text x="${(x0 + 3).toFixed(1)}" y="${y + LANE - 10}" class="in">${e(o.description.slice(0, Math.floor(w / 6)))}</text>`
          : "")
      );
    })
    .join("");
  const labels = procs
    .map((p, i) => `<text x="4" y="${i * LANE + 16}" class="row">process ${p}</text>`)
    .join("");
  return `<svg class="lanes" viewBox="0 0 ${W} ${h}" width="100%" role="img">${labels}${bars}<text x="${LEFT}" y="${h - 6}" class="tick" style="text-anchor:start">${sec(start)}</text><text x="${W - 10}" y="${h - 6}" class="tick" style="text-anchor:end">${sec(end)}</text></svg>`;
}
