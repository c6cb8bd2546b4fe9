/**
 * `kv`: Redis string semantics per key (`GET`, `SET`, `APPEND`), porcupine's kv model.
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Legal, Model, Operation, StepResult } from "./model.js";
import { keyOf } from "./register.js";
import { mix32 } from "./values.js";

/**
 * A key's string with a polynomial hash of it, kept up to date as appends extend it. The hash depends on the
 * string alone, however it was built (a put, or appends in some order), so equal strings hash alike; different
 * orders of the same appends, which have the same length, almost always hash apart. (Hashing the length alone
 * made every order of a key's concurrent appends collide in the search's cache: with 50 clients, each lookup
 * then compared thousands of long strings of equal length.)
 */
export interface KvState {
  readonly value: string;
  /** Σ value[i] · B^(n − 1 − i) mod 2³², B = {@link BASE}. */
  readonly hash: number;
}

/** A kv input: `get`, `put` (its own step result: `state` is the value put) or `append`. */
export type KvInput =
  | { readonly f: "get" }
  | { readonly f: "put"; readonly ok: true; readonly state: KvState }
  | {
      readonly f: "append";
      readonly value: string;
      /** The polynomial hash of `value`. */
      readonly hash: number;
      /** B^value.length mod 2³²: what the hash of the string appended to is multiplied by. */
      readonly shift: number;
    };

/** A kv output: what an `ok` get returned, as the step result it allows; `null` for puts and appends. */
export type KvOutput = Legal<KvState> | null;

/** The base of the polynomial hash (an odd 32-bit multiplier, FNV's prime). */
const BASE = 0x01000193;

const EMPTY: KvState = Object.freeze({ value: "", hash: 0 });

const GET: KvInput = Object.freeze({ f: "get" as const });

/** The state holding `value`. */
function kvState(value: string): KvState {
  let h = 0;
  for (let i = 0; i < value.length; i++) h = (Math.imul(h, BASE) + value.charCodeAt(i)) | 0;
  return { value, hash: h };
}

/** B^n mod 2³². */
function power(n: number): number {
  let r = 1;
  let b = BASE;
  for (let e = n; e > 0; e >>>= 1) {
    if ((e & 1) === 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
  }
  return r;
}

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
      return { input: GET, output: legal(kvState(value)) };
    }
    case "put": {
      if (call.type === "fail") return null;
      return { input: { f: "put", ok: true, state: kvState(asString(call.args, "put")) }, output: null };
    }
    case "append": {
      if (call.type === "fail") return null;
      const value = asString(call.args, "append");
      return {
        input: { f: "append", value, hash: kvState(value).hash, shift: power(value.length) },
        output: null,
      };
    }
    default:
      throw new ModelInputError(
        `model kv has no operation f=${JSON.stringify(call.f)} (it knows get, put, append)`,
      );
  }
}

function equal(a: KvState, b: KvState): boolean {
  return a === b || (a.hash === b.hash && a.value === b.value);
}

function step(state: KvState, input: KvInput, output: KvOutput): StepResult<KvState> {
  switch (input.f) {
    case "get":
      return output !== null && equal(output.state, state) ? output : ILLEGAL;
    case "put":
      return input;
    default:
      return {
        ok: true,
        state: {
          value: state.value + input.value,
          hash: (Math.imul(state.hash, input.shift) + input.hash) | 0,
        },
      };
  }
}

function describeOperation(input: KvInput, output: KvOutput): string {
  switch (input.f) {
    case "get":
      return `get → ${JSON.stringify(output === null ? "?" : output.state.value)}`;
    case "put":
      return `put ${JSON.stringify(input.state.value)}`;
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
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  name: "kv",
  init: () => EMPTY,
  step,
  equal,
  hash: (s) => mix32(s.hash),
  partition: keyOf,
  operation,
  describeOperation,
  describeState: (s) => JSON.stringify(s.value),
  effect: (input) => (input.f === "put" ? "blind" : input.f === "get" ? "preserving" : "other"),
  stateBytes: (s) => 48 + 2 * s.value.length,
};
