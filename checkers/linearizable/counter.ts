/**
 * `counter`: a number per key, initially 0; increments add deltas, reads return the total.
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Model, Operation, StepResult } from "./model.js";
import { keyOf } from "./register.js";
import { hashNumber } from "./values.js";

/** A counter input: a read, or an increment by `delta`. */
export type CounterInput = { readonly f: "read" } | { readonly f: "add"; readonly delta: number };

/** A counter output: what an `ok` read returned, as the step result it allows; `null` for increments. */
export type CounterOutput = { readonly ok: true; readonly state: number } | null;

const READ: CounterInput = Object.freeze({ f: "read" as const });

function number(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  throw new ModelInputError(`counter ${what} needs a finite number, got ${JSON.stringify(v)}`);
}

function operation(call: Call): Operation<CounterInput, CounterOutput> | null {
  switch (call.f) {
    case "read": {
      if (call.type !== "ok") return null;
      // A missing counter reads as nil in many stores: 0.
      const value =
        call.result === null || call.result === undefined ? 0 : number(call.result, "read result");
      return { input: READ, output: legal(value) };
    }
    case "incr":
    case "add": {
      if (call.type === "fail") return null;
      const delta =
        call.f === "incr" && (call.args === null || call.args === undefined) ? 1 : number(call.args, call.f);
      return { input: { f: "add", delta }, output: null };
    }
    default:
      throw new ModelInputError(
        `model counter has no operation f=${JSON.stringify(call.f)} (it knows incr, add, read)`,
      );
  }
}

function step(state: number, input: CounterInput, output: CounterOutput): StepResult<number> {
  if (input.f === "add") return { ok: true, state: state + input.delta };
  return output !== null && output.state === state ? output : ILLEGAL;
}

/**
 * `counter`: a number per key, initially 0.
 *
 * Contract: `incr` (value: the delta, `null` = 1) and `add` (value: the delta) — the invoke's value is the delta
 * whatever the completion reports; `read` (`ok` value: the total, `null` = 0). Deltas may be negative.
 */
export const counterModel: Model<number, CounterInput, CounterOutput> = {
  name: "counter",
  init: () => 0,
  step,
  equal: (a, b) => a === b,
  hash: hashNumber,
  partition: keyOf,
  operation,
  describeOperation: (input, output) =>
    input.f === "add"
      ? `${input.delta >= 0 ? "add" : "subtract"} ${Math.abs(input.delta)}`
      : `read → ${output === null ? "?" : output.state}`,
  describeState: (s) => String(s),
  effect: (input) => (input.f === "read" ? "preserving" : "other"),
};
