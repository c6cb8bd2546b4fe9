/**
 * `cas-register`: a register with compare-and-set, initially `null` (porcupine's etcd model, Knossos's
 * `cas-register`).
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Model, Operation, StepResult } from "./model.js";
import { READ, describeReadWrite, keyOf, readWriteOperation, readWriteStep } from "./register.js";
import type { ModelOptions, RegisterInput, RegisterOutput } from "./register.js";
import type { Semantics } from "../history/semantics.js";
import { canonical, describeValue, hashCanonical } from "./values.js";
import type { Canonical } from "./values.js";

/** A compare-and-set of `expected` to `state`; also its own step result for the swap (see `RegisterInput`). */
export interface CasInput {
  readonly f: "cas";
  readonly expected: Canonical;
  readonly ok: true;
  /** The new value. */
  readonly state: Canonical;
}

/** What a cas reported: it swapped (`ok`), it did not (`fail` without an error), or nobody knows (`info`). */
export type CasOutcome = "swapped" | "not-swapped" | "unknown";

/** A cas-register's input. */
export type CasRegisterInput = RegisterInput | CasInput;

/** A cas-register's output: a read's or write's output, or a cas outcome. */
export type CasRegisterOutput = RegisterOutput | CasOutcome;

function operation(call: Call, semantics: Semantics): Operation<CasRegisterInput, CasRegisterOutput> | null {
  if (call.f !== "cas") {
    if (call.f !== "read" && call.f !== "write") {
      throw new ModelInputError(
        `model cas-register has no operation f=${JSON.stringify(call.f)} (it knows read, write, cas)`,
      );
    }
    return readWriteOperation(call, "cas-register", semantics);
  }
  const args = call.args;
  if (!Array.isArray(args) || args.length !== 2) {
    throw new ModelInputError(`cas takes [expected, new], got ${JSON.stringify(args)}`);
  }
  // Jepsen's semantics: a `fail` had no effect and observed nothing (its clients use it for errors too).
  // faultline's: a `fail` with an error is a refusal (the store never ran the compare: READONLY, connection refused
  // …): no effect and no observation; a `fail` without an error is "compare did not match" (OpNotApplied): an
  // observation that the value differed from `expected` at some instant inside the op's window.
  if (call.type === "fail" && (semantics === "jepsen" || call.error !== undefined)) return null;
  const input: CasInput = { f: "cas", expected: canonical(args[0]), ok: true, state: canonical(args[1]) };
  const outcome: CasOutcome =
    call.type === "ok" ? "swapped" : call.type === "fail" ? "not-swapped" : "unknown";
  return { input, output: outcome };
}

/** True for a cas (the only object input; reads and writes are primitives). */
function isCas(input: CasRegisterInput): input is CasInput {
  return typeof input === "object" && input !== null;
}

function step(state: Canonical, input: CasRegisterInput, output: CasRegisterOutput): StepResult<Canonical> {
  if (!isCas(input)) return readWriteStep(state, input, output as RegisterOutput);
  const matches = state === input.expected;
  switch (output as CasOutcome) {
    case "swapped":
      return matches ? input : ILLEGAL;
    case "not-swapped":
      return matches ? ILLEGAL : legal(state);
    default:
      return matches ? input : legal(state);
  }
}

function describeOperation(input: CasRegisterInput, output: CasRegisterOutput): string {
  if (!isCas(input)) return describeReadWrite(input, output as RegisterOutput);
  const how =
    output === "swapped"
      ? "swapped"
      : output === "not-swapped"
        ? "did not swap"
        : "may or may not have swapped";
  return `cas ${describeValue(input.expected)} → ${describeValue(input.state)} (${how})`;
}

/**
 * A `cas-register`: read/write/compare-and-set register per key, initially `options.initial` (default `null`).
 *
 * Contract: `read` (`ok` value: what was read), `write v`, `cas [expected, new]`: `ok` = it swapped; `info` = may
 * or may not have run. Under faultline's semantics a `fail` without `error` = it ran and did not swap (the value
 * differed from `expected`), a `fail` with `error` = refused, no effect. Under Jepsen's every `fail` had no effect
 * and observed nothing, and an `ok` read of `null` read an unknown value (Knossos's `cas-register`).
 *
 * @example
 * const knossos = createCasRegisterModel({ initial: 0, semantics: "jepsen" });
 */
export function createCasRegisterModel(
  options: ModelOptions = {},
): Model<Canonical, CasRegisterInput, CasRegisterOutput> {
  const initial = canonical(options.initial);
  const semantics = options.semantics ?? "faultline";
  return {
    name: "cas-register",
    init: () => initial,
    step,
    equal: (a, b) => a === b,
    hash: hashCanonical,
    partition: keyOf,
    operation: (call) => operation(call, semantics),
    describeOperation,
    describeState: describeValue,
    // A write, and a cas that swapped (legal only from `expected`), leave a state that does not depend on the one
    // before; a read and a cas that did not swap leave it as it was; a cas of unknown outcome may do either.
    effect: (input, output) =>
      !isCas(input)
        ? input === READ
          ? "preserving"
          : "blind"
        : output === "swapped"
          ? "blind"
          : output === "not-swapped"
            ? "preserving"
            : "other",
    stateBytes: (s) => (typeof s === "string" ? 16 + 2 * s.length : 8),
  };
}

/** `cas-register` with its defaults: initially `null`, faultline's semantics (see {@link createCasRegisterModel}). */
export const casRegisterModel: Model<Canonical, CasRegisterInput, CasRegisterOutput> =
  createCasRegisterModel();
