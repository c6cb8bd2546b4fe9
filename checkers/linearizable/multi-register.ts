/**
 * `multi-register`: several registers changed together by transactions (Knossos's `multi-register`): `f` is `txn`
 * and its value a list of micro-ops `["read", k, v]` / `["write", k, v]` (`r` / `w` too), applied in order.
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Model, Operation, StepResult } from "./model.js";
import type { ModelOptions } from "./register.js";
import { keyOf } from "./register.js";
import { canonical, describeValue, hashCanonical, hashString, mix32 } from "./values.js";
import type { Canonical } from "./values.js";

/**
 * The registers' values by key (keys as text: `1` and `"1"` are one register), with a hash kept up to date.
 * A register never written holds `null`. States are never mutated: a write makes a new one.
 */
export interface MultiRegisterState {
  readonly values: ReadonlyMap<string, Canonical>;
  readonly hash: number;
}

/** One micro-op: a write of `value`, or a read of `value` (`UNKNOWN`: not observed). */
export type MultiMop =
  | { readonly write: true; readonly key: string; readonly value: Canonical }
  | { readonly write: false; readonly key: string; readonly value: Canonical | typeof UNKNOWN };

/** A read whose value was not observed (a `nil` read under Jepsen's semantics, any read of an `info` txn). */
export const UNKNOWN: unique symbol = Symbol("unknown read");

/** A transaction's micro-ops. */
export type MultiRegisterInput = readonly MultiMop[];

/** `ok` for a committed txn (its reads observe), `unknown` for an `info` one (its reads observe nothing). */
export type MultiRegisterOutput = "ok" | "unknown";

const READS = new Set(["read", "r"]);
const WRITES = new Set(["write", "w"]);

function entryHash(key: string, value: Canonical): number {
  return mix32(hashString(key) ^ Math.imul(hashCanonical(value), 0x9e3779b1));
}

/** The state for a JSON object of initial values (`{}` or `null`: every register `null`). */
export function multiRegisterState(initial: unknown): MultiRegisterState {
  if (initial === null || initial === undefined) return { values: new Map(), hash: 0 };
  if (typeof initial !== "object" || Array.isArray(initial)) {
    throw new ModelInputError(
      `multi-register's initial state must be an object of key → value, got ${JSON.stringify(initial)}`,
    );
  }
  const values = new Map<string, Canonical>();
  let hash = 0;
  for (const [k, v] of Object.entries(initial as Record<string, unknown>)) {
    const c = canonical(v);
    if (c === null) continue; // a register holding null is one never written
    values.set(k, c);
    hash ^= entryHash(k, c);
  }
  return { values, hash };
}

function mopsOf(v: unknown, observed: boolean, jepsen: boolean): MultiMop[] {
  if (!Array.isArray(v)) {
    throw new ModelInputError(`multi-register txn needs a list of micro-ops, got ${JSON.stringify(v)}`);
  }
  return v.map((mop: unknown): MultiMop => {
    if (
      !Array.isArray(mop) ||
      mop.length !== 3 ||
      (typeof mop[1] !== "string" && typeof mop[1] !== "number")
    ) {
      throw new ModelInputError(
        `multi-register micro-op must be ["read", key, value] or ["write", key, value], got ${JSON.stringify(mop)}`,
      );
    }
    const [f, k, x] = mop as [unknown, string | number, unknown];
    const key = String(k);
    if (WRITES.has(f as string)) return { write: true, key, value: canonical(x) };
    if (!READS.has(f as string)) {
      throw new ModelInputError(`multi-register micro-op ${JSON.stringify(f)} is neither read nor write`);
    }
    const unknown = !observed || (jepsen && (x === null || x === undefined));
    return { write: false, key, value: unknown ? UNKNOWN : canonical(x) };
  });
}

function operation(call: Call, jepsen: boolean): Operation<MultiRegisterInput, MultiRegisterOutput> | null {
  if (call.f !== "txn") {
    throw new ModelInputError(
      `model multi-register has no operation f=${JSON.stringify(call.f)} (it knows txn)`,
    );
  }
  // A failed txn had no effect (in both semantics: there is no compare to have observed).
  if (call.type === "fail") return null;
  if (call.type === "ok") return { input: mopsOf(call.result, true, jepsen), output: "ok" };
  return { input: mopsOf(call.args, false, jepsen), output: "unknown" };
}

function step(
  state: MultiRegisterState,
  input: MultiRegisterInput,
  _output: MultiRegisterOutput,
): StepResult<MultiRegisterState> {
  let values = state.values;
  let hash = state.hash;
  let copied = false;
  for (const mop of input) {
    const current = values.get(mop.key) ?? null;
    if (!mop.write) {
      if (mop.value !== UNKNOWN && mop.value !== current) return ILLEGAL;
      continue;
    }
    if (mop.value === current) continue;
    if (!copied) {
      values = new Map(values);
      copied = true;
    }
    if (current !== null) hash ^= entryHash(mop.key, current);
    if (mop.value === null) (values as Map<string, Canonical>).delete(mop.key);
    else {
      (values as Map<string, Canonical>).set(mop.key, mop.value);
      hash ^= entryHash(mop.key, mop.value);
    }
  }
  return copied ? legal({ values, hash }) : legal(state);
}

function equal(a: MultiRegisterState, b: MultiRegisterState): boolean {
  if (a === b) return true;
  if (a.hash !== b.hash || a.values.size !== b.values.size) return false;
  for (const [k, v] of a.values) if (b.values.get(k) !== v) return false;
  return true;
}

function describeMop(m: MultiMop): string {
  const v = m.value === UNKNOWN ? "?" : describeValue(m.value);
  return m.write ? `write ${m.key} ${v}` : `read ${m.key} → ${v}`;
}

function describeState(s: MultiRegisterState): string {
  const keys = [...s.values.keys()].sort();
  return `{${keys.map((k) => `${k} ${describeValue(s.values.get(k) ?? null)}`).join(", ")}}`;
}

/**
 * A `multi-register` (Knossos's): registers by key, changed by transactions, initially `options.initial` (an object
 * of key → value; default: every register `null`).
 *
 * Contract: `f` is `txn`, its value a list of `["read", k, v]` / `["write", k, v]` micro-ops (or `r` / `w`), applied
 * in order; on `ok` the completion's value says what each read returned; a `fail` txn had no effect; an `info` one
 * may have made its writes, and its reads observe nothing. Under Jepsen's semantics a read of `nil` observed nothing.
 * Every txn touches the one object (the op's `key`, if any, names which).
 *
 * @example
 * const model = createMultiRegisterModel({ initial: { x: 0, y: 0 }, semantics: "jepsen" });
 */
export function createMultiRegisterModel(
  options: ModelOptions = {},
): Model<MultiRegisterState, MultiRegisterInput, MultiRegisterOutput> {
  const initial = multiRegisterState(options.initial);
  const jepsen = options.semantics === "jepsen";
  return {
    name: "multi-register",
    init: () => initial,
    step,
    equal,
    hash: (s) => s.hash,
    partition: keyOf,
    operation: (call) => operation(call, jepsen),
    describeOperation: (input, output) =>
      `txn [${input.map(describeMop).join(", ")}]${output === "unknown" ? " (may or may not have happened)" : ""}`,
    describeState,
    effect: (input) => (input.every((m) => !m.write) ? "preserving" : "other"),
    stateBytes: (s) => 48 + s.values.size * 48,
  };
}

/** `multi-register` with its defaults: every register `null`, faultline's semantics. */
export const multiRegisterModel = createMultiRegisterModel();
