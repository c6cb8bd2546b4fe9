import { HistoryStructure } from "../history-structure.js";
import type { History, Op } from "../op.js";
import { printEdn } from "./edn-printer.js";
import { readEdn } from "./edn-reader.js";
import type { EdnForm } from "./edn-reader.js";
import type { EdnValue } from "./edn-value.js";
import { EdnList, EdnMap, EdnTagged, kw } from "./edn-value.js";
import { EDN_HINT, jepsenOp } from "./jepsen-op.js";

/**
 * Imports a Jepsen, Knossos or Elle history written in EDN, as those tools write it:
 *
 * - one op map per form (`{:index 0, :time 12, :type :invoke, :process 0, :f :add, :value 3}`), or the whole
 *   history as one vector or list of op maps; `;` comments and `#_` discards anywhere; `#jepsen.history.Op{…}`
 *   records read as maps;
 * - `:type` `:invoke | :ok | :fail | :info` is required; `:f` a keyword or string, implied `:txn` when the value
 *   is a vector of micro-ops (`[[:append 3 1] [:r 3 nil]]`, as in Elle's hand-written examples);
 * - `:time` (nanoseconds) may be missing (Knossos-era histories): it is then 0;
 * - `:index` may be missing or have gaps (Elle's examples): ops are numbered by their position in the file, and an
 *   `:index` that differs is kept as `extra.index`;
 * - `:process` an integer, `:nemesis` or `:monitor`; ops without one are paired among themselves as one process,
 *   as Jepsen pairs ops of the `nil` process (they get the number after the largest process in the file);
 * - `:value` converted to JSON: keywords and symbols become their names, vectors, lists and sets arrays, maps
 *   objects (keys as names), `nil` null — so `[[:append 3 1] [:r 3 [1 2]]]` becomes `[["append",3,1],["r",3,[1,2]]]`;
 * - `:key`, `:node` (strings or keywords) and `:error` (a string, or any EDN printed as text) when present; every
 *   other key is kept, as JSON, in `extra`.
 *
 * Ops keep Jepsen's meaning: a `:fail` only says the op had no effect (README, "Checking a history"; the
 * `semantics` option of the linearizability checker). The result passes the same structural check as
 * `history.jsonl` (a process is single-threaded, a completion has an invoke).
 *
 * @throws InputError (`BAD_EDN` / `BAD_HISTORY`) naming the line and the key.
 * @example
 * const history = fromJepsenEdn(readFileSync("history.edn", "utf8"), "history.edn");
 */
export function fromJepsenEdn(text: string, source = "history.edn"): Op[] {
  const forms = opForms(readEdn(text, source));
  const noProcess = largestProcess(forms) + 1;
  const structure = new HistoryStructure(source, EDN_HINT);
  const ops = new Array<Op>(forms.length);
  for (let i = 0; i < forms.length; i++) {
    const { value, line } = forms[i];
    const op = jepsenOp(value, { source, line, position: i, noProcess });
    structure.add(op, line);
    ops[i] = op;
  }
  return ops;
}

/** The op forms: the items of a lone top-level vector or list (with their own lines), else every form. */
function opForms(forms: EdnForm[]): { value: EdnValue; line: number }[] {
  if (forms.length !== 1) return forms;
  const [{ value, line, itemLines }] = forms;
  const items = Array.isArray(value) ? value : value instanceof EdnList ? value.items : undefined;
  if (items === undefined) return forms;
  return items.map((v, i) => ({ value: v, line: itemLines?.[i] ?? line }));
}

/** The largest integer `:process` among the op maps, or -1. */
function largestProcess(forms: readonly { value: EdnValue }[]): number {
  let max = -1;
  for (const { value } of forms) {
    const m = value instanceof EdnTagged ? value.value : value;
    if (!(m instanceof EdnMap)) continue;
    const p = m.getKeyword("process");
    if (typeof p === "number" && Number.isSafeInteger(p) && p > max) max = p;
  }
  return max;
}

/**
 * Exports a history as Jepsen `history.edn` text: one op map per line, `{:index 0, :time 0, :type :invoke,
 * :process 0, :f :add, :value 3}`, plus `:key`, `:node` and `:error` when present and an imported op's `extra`
 * keys (its `extra.index`, the source's own index, is written as `:index`). JSON values become EDN
 * (arrays → vectors, objects → maps with keyword keys where the key is a valid keyword, strings stay strings), and
 * the micro-op names of a `txn` value become keywords (`[[:append 3 1] [:r 3 nil]]`), as Elle expects.
 * {@link fromJepsenEdn} reads it back to an equal history.
 */
export function toJepsenEdn(history: History): string {
  let out = "";
  for (const op of history) {
    const entries: [EdnValue, EdnValue][] = [
      // The source's own index, if it was not the position (an imported history keeps it in `extra`).
      [kw("index"), sourceIndex(op)],
      [kw("time"), op.time],
      [kw("type"), kw(op.type)],
      [kw("process"), typeof op.process === "number" ? op.process : kw(op.process)],
      [kw("f"), KEYWORD_NAME.test(op.f) ? kw(op.f) : op.f],
    ];
    if (op.key !== undefined) entries.push([kw("key"), op.key]);
    if (op.value !== undefined) {
      entries.push([kw("value"), op.f === "txn" ? txnToEdn(op.value) : jsonToEdn(op.value)]);
    }
    if (op.node !== undefined) entries.push([kw("node"), op.node]);
    if (op.error !== undefined) entries.push([kw("error"), op.error]);
    if (op.extra !== undefined) {
      for (const [k, x] of Object.entries(op.extra))
        if (k !== "index") entries.push([keyOf(k), jsonToEdn(x)]);
    }
    out += `${printEdn(new EdnMap(entries))}\n`;
  }
  return out;
}

const KEYWORD_NAME = /^[A-Za-z*+!_?<>=.$%&-][A-Za-z0-9*+!_?<>=.$%&'#:/-]*$/;

/** Converts a JSON value to EDN (see {@link toJepsenEdn}). */
export function jsonToEdn(v: unknown): EdnValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(jsonToEdn);
  if (typeof v === "object") {
    return new EdnMap(Object.entries(v as Record<string, unknown>).map(([k, x]) => [keyOf(k), jsonToEdn(x)]));
  }
  return String(v);
}

/** A map key: a keyword where the name makes one, else a string. */
function keyOf(k: string): EdnValue {
  return KEYWORD_NAME.test(k) && !k.includes("//") && !k.endsWith("/") ? kw(k) : k;
}

function sourceIndex(op: Op): number {
  const i = op.extra?.index;
  return typeof i === "number" && Number.isSafeInteger(i) ? i : op.index;
}

function txnToEdn(v: unknown): EdnValue {
  if (!Array.isArray(v)) return jsonToEdn(v);
  return v.map((mop) =>
    Array.isArray(mop) && typeof mop[0] === "string" && KEYWORD_NAME.test(mop[0])
      ? [kw(mop[0]), ...mop.slice(1).map(jsonToEdn)]
      : jsonToEdn(mop),
  );
}
