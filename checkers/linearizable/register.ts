/**
 * `register`: one value per key, initially `null`; `read` returns it, `write v` replaces it.
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Model, Operation, StepResult } from "./model.js";
import { canonical, describeValue, hashCanonical } from "./values.js";
import type { Canonical } from "./values.js";
import type { Semantics } from "../history/semantics.js";

/** The input of every read (the only object input of a register). */
export const READ: unique symbol = Symbol("read");

/**
 * A register's input: {@link READ}, or the (canonical) value a write writes. Inputs and outputs are primitives, so
 * a million ops keep no million objects alive (what the garbage collector would have to copy and mark); a legal
 * step allocates a small result that dies young instead.
 */
export type RegisterInput = typeof READ | Canonical;

/** A register's output: what an `ok` read returned; `null` for writes. */
export type RegisterOutput = Canonical;

/**
 * The read/write part shared by `register` and `cas-register`: `ok` reads observe; `info` and `fail` reads
 * neither change nor observe anything and are dropped; `ok` and `info` writes take (or may take) effect;
 * `fail` writes did not happen and are dropped. Under Jepsen's semantics an `ok` read of `null` is a read of an
 * unknown value (Knossos's models): dropped too.
 */
export function readWriteOperation(
  call: Call,
  model: string,
  semantics: Semantics = "faultline",
): Operation<RegisterInput, RegisterOutput> | null {
  switch (call.f) {
    case "read": {
      if (call.type !== "ok") return null;
      if (semantics === "jepsen" && (call.result === null || call.result === undefined)) return null;
      return { input: READ, output: canonical(call.result) };
    }
    case "write": {
      if (call.type === "fail") return null;
      return { input: canonical(call.args), output: null };
    }
    default:
      throw new ModelInputError(
        `model ${model} has no operation f=${JSON.stringify(call.f)} (it knows read, write)`,
      );
  }
}

/** Steps a read or a write. */
export function readWriteStep(
  state: Canonical,
  input: RegisterInput,
  output: RegisterOutput,
): StepResult<Canonical> {
  if (input !== READ) return legal(input);
  return output === state ? legal(state) : ILLEGAL;
}

/** Describes a read or a write: `read → 3`, `write 4`. */
export function describeReadWrite(input: RegisterInput, output: RegisterOutput): string {
  return input === READ ? `read → ${describeValue(output)}` : `write ${describeValue(input)}`;
}

/** The key a call touches, or `""` for calls without one. */
export function keyOf(call: Call): string {
  return call.key ?? "";
}

/** Options of the built-in models (see `createModel`). */
export interface ModelOptions {
  /** Every object's state before the history begins, as JSON (default: the model's own, e.g. `null`). */
  initial?: unknown;
  /** How `fail` and a read of `null` are read (default `faultline`; see {@link Semantics}). */
  semantics?: Semantics;
}

/**
 * A `register`: read/write register per key, initially `options.initial` (default `null`).
 *
 * Contract: `f` is `read` (invoke value `null`, `ok` value: what was read) or `write` (value: what to write).
 * Values are any JSON, compared structurally. Under Jepsen's semantics an `ok` read of `null` read an unknown value.
 *
 * @example
 * const model = createRegisterModel({ initial: 0, semantics: "jepsen" });
 */
export function createRegisterModel(
  options: ModelOptions = {},
): Model<Canonical, RegisterInput, RegisterOutput> {
  const initial = canonical(options.initial);
  const semantics = options.semantics ?? "faultline";
  return {
    name: "register",
    init: () => initial,
    step: readWriteStep,
    equal: (a, b) => a === b,
    hash: hashCanonical,
    partition: keyOf,
    operation: (call) => readWriteOperation(call, "register", semantics),
    describeOperation: describeReadWrite,
    describeState: describeValue,
    effect: (input) => (input === READ ? "preserving" : "blind"),
    stateBytes: (s) => (typeof s === "string" ? 16 + 2 * s.length : 8),
  };
}

/** `register` with its defaults: initially `null`, faultline's semantics (see {@link createRegisterModel}). */
export const registerModel: Model<Canonical, RegisterInput, RegisterOutput> = createRegisterModel();
