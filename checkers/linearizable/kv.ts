/**
 * `kv`: Redis string semantics per key (`GET`, `SET`, `APPEND`), porcupine's kv model.
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Model, Operation, StepResult } from "./model.js";
import { keyOf } from "./register.js";
import { mix32 } from "./values.js";

/** A kv input: `get`, `put` (its own step result: `state` is the value put) or `append`. */
export type KvInput =
  | { readonly f: "get" }
  | { readonly f: "put"; readonly ok: true; readonly state: string }
  | { readonly f: "append"; readonly value: string };

/** A kv output: what an `ok` get returned, as the step result it allows; `null` for puts and appends. */
export type KvOutput = { readonly ok: true; readonly state: string } | null;

const GET: KvInput = Object.freeze({ f: "get" as const });

/** Redis stores strings: a number or boolean argument is stored as its text, as `SET k 5` does. */
function asString(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new ModelInputError(`kv ${what} needs a string value, got ${JSON.stringify(v)}`);
}

function operation(call: Call): Operation<KvInput, KvOutput> | null {
  switch (call.f) {
    case "get": {
      if (call.type !== "ok") return null;
      // Redis GET of a missing key is nil; the model's missing key reads "" (porcupine's kv model).
      const value =
        call.result === null || call.result === undefined ? "" : asString(call.result, "get result");
      return { input: GET, output: legal(value) };
    }
    case "put": {
      if (call.type === "fail") return null;
      return { input: { f: "put", ok: true, state: asString(call.args, "put") }, output: null };
    }
    case "append": {
      if (call.type === "fail") return null;
      return { input: { f: "append", value: asString(call.args, "append") }, output: null };
    }
    default:
      throw new ModelInputError(
        `model kv has no operation f=${JSON.stringify(call.f)} (it knows get, put, append)`,
      );
  }
}

function step(state: string, input: KvInput, output: KvOutput): StepResult<string> {
  switch (input.f) {
    case "get":
      return output !== null && output.state === state ? output : ILLEGAL;
    case "put":
      return input;
    default:
      return { ok: true, state: state + input.value };
  }
}

function describeOperation(input: KvInput, output: KvOutput): string {
  switch (input.f) {
    case "get":
      return `get → ${JSON.stringify(output === null ? "?" : output.state)}`;
    case "put":
      return `put ${JSON.stringify(input.state)}`;
    default:
      return `append ${JSON.stringify(input.value)}`;
  }
}

/**
 * `kv`: one string per key, a missing key reads `""`.
 *
 * Contract: `get` (`ok` value: the string, `null` = missing = `""`), `put v` (SET), `append v` (APPEND: concatenate).
 * Values are strings (numbers are stored as their text).
 */
export const kvModel: Model<string, KvInput, KvOutput> = {
  name: "kv",
  init: () => "",
  step,
  equal: (a, b) => a === b,
  // The length is O(1) even for concatenated (rope) strings and separates most states of a key, whose value grows
  // with every append; equal states still compare in full.
  hash: (s) => mix32(s.length),
  partition: keyOf,
  operation,
  describeOperation,
  describeState: (s) => JSON.stringify(s),
  effect: (input) => (input.f === "put" ? "blind" : input.f === "get" ? "preserving" : "other"),
  stateBytes: (s) => 24 + 2 * s.length,
};
