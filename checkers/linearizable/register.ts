/**
 * `register`: one value per key, initially `null`; `read` returns it, `write v` replaces it.
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Model, Operation, StepResult } from "./model.js";
import { canonical, describeValue, hashCanonical } from "./values.js";
import type { Canonical } from "./values.js";

/** A register's input: a read, or a write of a (canonical) value with its prebuilt step result. */
export type RegisterInput =
  | { readonly f: "read" }
  | { readonly f: "write"; readonly value: Canonical; readonly next: StepResult<Canonical> };

/** A register's output: what an `ok` read returned (with its prebuilt step result), `null` for writes. */
export type RegisterOutput = { readonly value: Canonical; readonly next: StepResult<Canonical> } | null;

/**
 * The read/write part shared by `register` and `cas-register`: `ok` reads observe; `info` and `fail` reads
 * neither change nor observe anything and are dropped; `ok` and `info` writes take (or may take) effect;
 * `fail` writes did not happen and are dropped.
 */
export function readWriteOperation(
  call: Call,
  model: string,
): Operation<RegisterInput, RegisterOutput> | null {
  switch (call.f) {
    case "read": {
      if (call.type !== "ok") return null;
      const value = canonical(call.result);
      return { input: READ, output: { value, next: legal(value) } };
    }
    case "write": {
      if (call.type === "fail") return null;
      const value = canonical(call.args);
      return { input: { f: "write", value, next: legal(value) }, output: null };
    }
    default:
      throw new ModelInputError(
        `model ${model} has no operation f=${JSON.stringify(call.f)} (it knows read, write)`,
      );
  }
}

const READ: RegisterInput = Object.freeze({ f: "read" as const });

/** Steps a read or a write. */
export function readWriteStep(
  state: Canonical,
  input: RegisterInput,
  output: RegisterOutput,
): StepResult<Canonical> {
  if (input.f === "write") return input.next;
  return output !== null && output.value === state ? output.next : ILLEGAL;
}

/** Describes a read or a write: `read → 3`, `write 4`. */
export function describeReadWrite(input: RegisterInput, output: RegisterOutput): string {
  if (input.f === "write") return `write ${describeValue(input.value)}`;
  return `read → ${output === null ? "?" : describeValue(output.value)}`;
}

/** The key a call touches, or `""` for calls without one. */
export function keyOf(call: Call): string {
  return call.key ?? "";
}

/**
 * `register`: read/write register per key, initially `null`.
 *
 * Contract: `f` is `read` (invoke value `null`, `ok` value: what was read) or `write` (value: what to write).
 * Values are any JSON, compared structurally.
 */
export const registerModel: Model<Canonical, RegisterInput, RegisterOutput> = {
  name: "register",
  init: () => null,
  step: readWriteStep,
  equal: (a, b) => a === b,
  hash: hashCanonical,
  partition: keyOf,
  operation: (call) => readWriteOperation(call, "register"),
  describeOperation: describeReadWrite,
  describeState: describeValue,
  effect: (input) => (input.f === "write" ? "blind" : "preserving"),
  stateBytes: (s) => (typeof s === "string" ? 16 + 2 * s.length : 8),
};
