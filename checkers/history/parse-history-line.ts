import { InputError } from "../errors/index.js";
import type { Op, OpType, Process } from "./op.js";

/** The four values `type` may take, in the order error messages list them. */
export const OP_TYPES: readonly OpType[] = ["invoke", "ok", "fail", "info"];

/**
 * Where a history line came from, for error messages: `history.jsonl line 17: …`.
 */
export interface LineLocation {
  /** File name shown in messages (`history.jsonl` unless the caller knows better). */
  source: string;
  /** 1-based physical line number. */
  line: number;
}

/**
 * Throws the {@link InputError} every history validation failure becomes: code `BAD_HISTORY`, a message that
 * starts with the file and line number, and the field in `details`; the hint is `history.jsonl`'s unless the
 * caller reads another format.
 */
export function historyError(
  at: LineLocation,
  message: string,
  field?: string,
  hint: string = JSONL_HINT,
): InputError {
  return new InputError("BAD_HISTORY", `${at.source} line ${at.line}: ${message}`, {
    details: { source: at.source, line: at.line, ...(field === undefined ? {} : { field }) },
    hint,
  });
}

/** The hint of a malformed `history.jsonl`. */
export const JSONL_HINT =
  'each line of history.jsonl is one JSON op object (DESIGN.md, "Operations and the history")';

/**
 * Parses and validates one line of `history.jsonl` into an {@link Op}. Checks each field's type (DESIGN.md
 * "Operations and the history"); unknown fields are dropped. `null` for an optional field (`key`, `node`,
 * `error`) means absent. Structure across lines (index order, pairing) is {@link HistoryStructure}'s job.
 *
 * @throws InputError (`BAD_HISTORY`) naming the line and the field, e.g.
 *   `history.jsonl line 17: field "type" must be one of invoke, ok, fail, info, got "okay"`.
 * @example
 * parseHistoryLine('{"index":0,"time":5,"process":0,"type":"invoke","f":"read","value":null}', 1);
 */
export function parseHistoryLine(text: string, line: number, source = "history.jsonl"): Op {
  const at: LineLocation = { source, line };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw historyError(at, `not valid JSON (${why})`);
  }
  return validateOpObject(raw, at);
}

/** Validates an already-decoded JSON value as an op; see {@link parseHistoryLine}. */
export function validateOpObject(raw: unknown, at: LineLocation): Op {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw historyError(at, `must be a JSON object, got ${describe(raw)}`);
  }
  const o = raw as Record<string, unknown>;
  const op: Op = {
    index: nonNegativeInteger(o, "index", at),
    time: nonNegativeInteger(o, "time", at),
    process: processField(o, at),
    type: typeField(o, at),
    f: fField(o, at),
  };
  const key = optionalString(o, "key", at);
  if (key !== undefined) op.key = key;
  if (o.value !== undefined) op.value = o.value;
  const node = optionalString(o, "node", at);
  if (node !== undefined) op.node = node;
  const error = optionalString(o, "error", at);
  if (error !== undefined) op.error = error;
  return op;
}

function nonNegativeInteger(o: Record<string, unknown>, field: string, at: LineLocation): number {
  const v = o[field];
  if (v === undefined) throw historyError(at, `field "${field}" is missing`, field);
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw historyError(at, `field "${field}" must be a non-negative integer, got ${describe(v)}`, field);
  }
  return v;
}

function processField(o: Record<string, unknown>, at: LineLocation): Process {
  const v = o.process;
  if (v === undefined) throw historyError(at, `field "process" is missing`, "process");
  if (v === "nemesis" || v === "monitor") return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  throw historyError(
    at,
    `field "process" must be a non-negative integer, "nemesis" or "monitor", got ${describe(v)}`,
    "process",
  );
}

function typeField(o: Record<string, unknown>, at: LineLocation): OpType {
  const v = o.type;
  if (v === undefined) throw historyError(at, `field "type" is missing`, "type");
  if (typeof v === "string" && (OP_TYPES as readonly string[]).includes(v)) return v as OpType;
  throw historyError(at, `field "type" must be one of ${OP_TYPES.join(", ")}, got ${describe(v)}`, "type");
}

function fField(o: Record<string, unknown>, at: LineLocation): string {
  const v = o.f;
  if (v === undefined) throw historyError(at, `field "f" is missing`, "f");
  if (typeof v !== "string" || v.length === 0) {
    throw historyError(at, `field "f" must be a non-empty string, got ${describe(v)}`, "f");
  }
  return v;
}

function optionalString(o: Record<string, unknown>, field: string, at: LineLocation): string | undefined {
  const v = o[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string")
    throw historyError(at, `field "${field}" must be a string, got ${describe(v)}`, field);
  return v;
}

/** A short rendering of a bad value for a message: JSON, cut at 60 characters. */
export function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return `an array ${clip(JSON.stringify(v))}`;
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return clip(JSON.stringify(v) ?? String(v));
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
