/**
 * One Jepsen op map to a faultline {@link Op}: which keys are required, what a missing one means, and what is kept.
 */
import { InputError } from "../../errors/index.js";
import type { Op, OpType, Process } from "../op.js";
import { printEdn } from "./edn-printer.js";
import type { EdnValue } from "./edn-value.js";
import { EdnKeyword, EdnList, EdnMap, EdnSymbol, EdnTagged } from "./edn-value.js";

/** What a malformed EDN history's error suggests (never `history.jsonl`'s format). */
export const EDN_HINT =
  "a Jepsen history is EDN: one op map per form, or one vector or list of op maps, each with at least :type " +
  '(:invoke, :ok, :fail or :info); see README, "Checking a history"';

const TYPES = new Set(["invoke", "ok", "fail", "info"]);
/** The keys faultline reads; every other key of an op map is kept in `extra`. */
const KNOWN = new Set(["index", "time", "type", "process", "f", "key", "value", "node", "error"]);

/** Where an op came from and what to assume when it omits a key. */
export interface OpContext {
  source: string;
  /** 1-based line of the op map. */
  line: number;
  /** Its position in the history: the op's `index`. */
  position: number;
  /** The process of an op without `:process` (Jepsen pairs such ops as one process, `nil`). */
  noProcess: number;
}

/**
 * Converts an op map (or a `#jepsen.history.Op{…}` record) read from EDN. Required: `:type`. Optional, as in
 * Knossos's and Elle's files: `:index` (the position is the index; another value is kept as `extra.index`),
 * `:time` (0 when absent), `:process` (`ctx.noProcess` when absent or nil) and `:f` (`txn` when the value is a
 * vector of micro-ops like `[:append 3 1]`).
 *
 * @throws InputError (`BAD_HISTORY`) naming the source, line and key.
 */
export function jepsenOp(form: EdnValue, ctx: OpContext): Op {
  const fail = (message: string, field?: string): never => {
    throw new InputError("BAD_HISTORY", `${ctx.source} line ${ctx.line}: ${message}`, {
      details: { source: ctx.source, line: ctx.line, ...(field ? { field } : {}) },
      hint: EDN_HINT,
    });
  };
  const m = form instanceof EdnTagged ? form.value : form;
  if (!(m instanceof EdnMap)) return fail(`an op must be a map, got ${show(form)}`);
  const get = (k: string): EdnValue | undefined => m.getKeyword(k);

  const type = nameOf(get("type"));
  if (type === undefined || !TYPES.has(type)) {
    fail(`field :type must be one of :invoke, :ok, :fail, :info, got ${show(get("type"))}`, "type");
  }
  const time = get("time");
  if (
    time !== undefined &&
    time !== null &&
    !(typeof time === "number" && Number.isSafeInteger(time) && time >= 0)
  ) {
    fail(`field :time must be a non-negative integer (nanoseconds) when present, got ${show(time)}`, "time");
  }
  const value = get("value");
  const f = nameOf(get("f")) ?? (isMicroOps(value) ? "txn" : undefined);
  if (f === undefined || f.length === 0) {
    fail(
      `field :f must be a keyword or string, got ${show(get("f"))} (it may be left out only when :value is a ` +
        "vector of micro-ops such as [:append 3 1], which makes it :txn)",
      "f",
    );
  }
  const op: Op = {
    index: ctx.position,
    time: typeof time === "number" ? time : 0,
    process: toProcess(get("process"), ctx.noProcess, fail),
    type: type as OpType,
    f: f as string,
  };
  const key = get("key");
  if (key !== undefined && key !== null) op.key = nameOf(key) ?? printEdn(key);
  if (value !== undefined) op.value = ednToJson(value);
  const node = get("node");
  if (node !== undefined && node !== null) op.node = nameOf(node) ?? printEdn(node);
  const error = get("error");
  if (error !== undefined && error !== null) op.error = typeof error === "string" ? error : printEdn(error);
  const extra = extraKeys(m, ctx.position);
  if (extra !== undefined) op.extra = extra;
  return op;
}

/** The keys faultline does not read, as JSON; the `:index` too when it is not the position. */
function extraKeys(m: EdnMap, position: number): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const [k, v] of m.entries) {
    const name = keyName(k);
    if (KNOWN.has(name) && !(name === "index" && v !== position && v !== null)) continue;
    extra ??= {};
    define(extra, name, ednToJson(v));
  }
  return extra;
}

function toProcess(
  v: EdnValue | undefined,
  noProcess: number,
  fail: (m: string, f?: string) => never,
): Process {
  if (v === undefined || v === null) return noProcess;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  const name = nameOf(v);
  if (name === "nemesis" || name === "monitor") return name;
  return fail(
    `field :process must be a non-negative integer, :nemesis or :monitor, got ${show(v)}`,
    "process",
  );
}

/** True for a vector (or list) of micro-ops, each a vector starting with a keyword: `[[:append 3 1] [:r 3 nil]]`. */
export function isMicroOps(v: EdnValue | undefined): boolean {
  const items = Array.isArray(v) ? v : v instanceof EdnList ? v.items : undefined;
  if (items === undefined || items.length === 0) return false;
  return items.every((mop) => Array.isArray(mop) && mop.length >= 2 && mop[0] instanceof EdnKeyword);
}

/** A keyword's or symbol's name, a string itself, or undefined. */
export function nameOf(v: EdnValue | undefined): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof EdnKeyword || v instanceof EdnSymbol) return v.name;
  return undefined;
}

function keyName(k: EdnValue): string {
  return nameOf(k) ?? printEdn(k);
}

function show(v: EdnValue | undefined): string {
  return v === undefined ? "nothing" : printEdn(v).slice(0, 60);
}

/** Sets a property with defineProperty, so a key named `__proto__` stays data instead of replacing the prototype. */
function define(out: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Converts an EDN value to the JSON faultline stores in `value`: keywords and symbols become their names, vectors,
 * lists and sets arrays, maps objects (keys as names), tagged values their value, `nil` null.
 */
export function ednToJson(v: EdnValue): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(ednToJson);
  if (v instanceof EdnKeyword || v instanceof EdnSymbol) return v.name;
  if (v instanceof EdnTagged) return ednToJson(v.value);
  if (v instanceof EdnMap) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v.entries) define(out, keyName(k), ednToJson(x));
    return out;
  }
  return v.items.map(ednToJson);
}
