import { InputError } from "../../errors/index.js";
import { HistoryStructure } from "../history-structure.js";
import type { History, Op, OpType, Process } from "../op.js";
import { printEdn } from "./edn-printer.js";
import { readEdn } from "./edn-reader.js";
import type { EdnValue } from "./edn-value.js";
import { EdnKeyword, EdnList, EdnMap, EdnSet, EdnSymbol, EdnTagged, kw } from "./edn-value.js";

const TYPES = new Set(["invoke", "ok", "fail", "info"]);

/**
 * Imports a Jepsen `history.edn`: one op map per form (`{:index 0, :time 12, :type :invoke, :process 0, :f :add,
 * :value 3}`), or a single vector of them; `#jepsen.history.Op{…}` records are read as maps. Fields:
 *
 * - `:type` `:invoke | :ok | :fail | :info`, `:f` a keyword (or string), `:time` nanoseconds;
 * - `:process` an integer, `:nemesis` or `:monitor`;
 * - `:index` optional (the position is used when absent);
 * - `:value` converted to JSON: keywords and symbols become their names, vectors, lists and sets arrays, maps
 *   objects (keys as names), `nil` null — so a list-append txn `[[:append 3 1] [:r 3 [1 2]]]` becomes
 *   `[["append",3,1],["r",3,[1,2]]]`;
 * - `:key`, `:node` (strings or keywords) and `:error` (a string, or any EDN printed as text) when present.
 *
 * Other keys are dropped. The result passes the same structural check as `history.jsonl`.
 *
 * @throws InputError (`BAD_EDN` / `BAD_HISTORY`) naming the line and the field.
 * @example
 * const history = fromJepsenEdn(readFileSync("history.edn", "utf8"));
 */
export function fromJepsenEdn(text: string, source = "history.edn"): Op[] {
  let forms = readEdn(text, source);
  if (forms.length === 1 && Array.isArray(forms[0].value)) {
    const line = forms[0].line;
    forms = forms[0].value.map((value) => ({ value, line }));
  }
  const structure = new HistoryStructure(source);
  const ops: Op[] = [];
  forms.forEach(({ value, line }, i) => {
    const op = toOp(value, i, line, source);
    structure.add(op, line);
    ops.push(op);
  });
  return ops;
}

function toOp(form: EdnValue, position: number, line: number, source: string): Op {
  const fail = (message: string, field?: string): never => {
    throw new InputError("BAD_HISTORY", `${source} line ${line}: ${message}`, {
      details: { source, line, ...(field ? { field } : {}) },
    });
  };
  const m = form instanceof EdnTagged ? form.value : form;
  if (!(m instanceof EdnMap)) return fail(`an op must be a map, got ${printEdn(form).slice(0, 60)}`);
  const get = (k: string): EdnValue | undefined => m.getKeyword(k);

  const rawIndex = get("index");
  const index = rawIndex === undefined || rawIndex === null ? position : rawIndex;
  if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0) {
    fail(`field :index must be a non-negative integer, got ${show(rawIndex)}`, "index");
  }
  const time = get("time");
  if (typeof time !== "number" || !Number.isSafeInteger(time) || time < 0) {
    fail(`field :time must be a non-negative integer (nanoseconds), got ${show(time)}`, "time");
  }
  const type = nameOf(get("type"));
  if (type === undefined || !TYPES.has(type)) {
    fail(`field :type must be one of :invoke, :ok, :fail, :info, got ${show(get("type"))}`, "type");
  }
  const f = nameOf(get("f"));
  if (f === undefined || f.length === 0)
    fail(`field :f must be a keyword or string, got ${show(get("f"))}`, "f");
  const op: Op = {
    index: index as number,
    time: time as number,
    process: toProcess(get("process"), fail),
    type: type as OpType,
    f: f as string,
  };
  const key = get("key");
  if (key !== undefined && key !== null) op.key = nameOf(key) ?? printEdn(key);
  const value = get("value");
  if (value !== undefined) op.value = ednToJson(value);
  const node = get("node");
  if (node !== undefined && node !== null) op.node = nameOf(node) ?? printEdn(node);
  const error = get("error");
  if (error !== undefined && error !== null) op.error = typeof error === "string" ? error : printEdn(error);
  return op;
}

function toProcess(v: EdnValue | undefined, fail: (m: string, f?: string) => never): Process {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  const name = nameOf(v);
  if (name === "nemesis" || name === "monitor") return name;
  return fail(
    `field :process must be a non-negative integer, :nemesis or :monitor, got ${show(v)}`,
    "process",
  );
}

function nameOf(v: EdnValue | undefined): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof EdnKeyword || v instanceof EdnSymbol) return v.name;
  return undefined;
}

function show(v: EdnValue | undefined): string {
  return v === undefined ? "nothing" : printEdn(v).slice(0, 60);
}

/** Converts an EDN value to the JSON faultline stores in `value` (see {@link fromJepsenEdn}). */
export function ednToJson(v: EdnValue): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(ednToJson);
  if (v instanceof EdnKeyword || v instanceof EdnSymbol) return v.name;
  if (v instanceof EdnList || v instanceof EdnSet) return v.items.map(ednToJson);
  if (v instanceof EdnTagged) return ednToJson(v.value);
  const out: Record<string, unknown> = {};
  for (const [k, x] of v.entries) {
    const name = typeof k === "string" ? k : (nameOf(k) ?? printEdn(k));
    // defineProperty, so a key named "__proto__" stays data instead of replacing the prototype.
    Object.defineProperty(out, name, {
      value: ednToJson(x),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Exports a history as Jepsen `history.edn` text: one op map per line, `{:index 0, :time 0, :type :invoke,
 * :process 0, :f :add, :value 3}`, plus `:key`, `:node` and `:error` when present. JSON values become EDN
 * (arrays → vectors, objects → maps with keyword keys where the key is a valid keyword, strings stay strings), and
 * the micro-op names of a `txn` value become keywords (`[[:append 3 1] [:r 3 nil]]`), as Elle expects.
 * {@link fromJepsenEdn} reads it back to an equal history.
 */
export function toJepsenEdn(history: History): string {
  let out = "";
  for (const op of history) {
    const entries: [EdnValue, EdnValue][] = [
      [kw("index"), op.index],
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
    return new EdnMap(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [
        KEYWORD_NAME.test(k) && !k.includes("//") && !k.endsWith("/") ? kw(k) : k,
        jsonToEdn(x),
      ]),
    );
  }
  return String(v);
}

function txnToEdn(v: unknown): EdnValue {
  if (!Array.isArray(v)) return jsonToEdn(v);
  return v.map((mop) =>
    Array.isArray(mop) && typeof mop[0] === "string" && KEYWORD_NAME.test(mop[0])
      ? [kw(mop[0]), ...mop.slice(1).map(jsonToEdn)]
      : jsonToEdn(mop),
  );
}
