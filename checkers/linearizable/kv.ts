/**
 * `kv`: string semantics per key (get, put, append), porcupine's kv model.
 */
import { EMPTY, equalStates, kvState, mayBePrefix, power, unreadState } from "./kv-state.js";
import type { KvState } from "./kv-state.js";
import type { Lookahead } from "./lookahead.js";
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Legal, Model, Operation, StepResult } from "./model.js";
import type { Refine } from "./refine.js";
import { keyOf } from "./register.js";
import { mix32 } from "./values.js";

/**
 * A kv input: `get`; `put` (its own step result: `state` is what the put leaves); `append`. `refine` marks a put
 * or an append whose string no get of the key returns: it leaves an unread state (see {@link KvState}).
 */
export type KvInput =
  | { readonly f: "get" }
  | { readonly f: "put"; readonly ok: true; readonly state: KvState; readonly value: string }
  | {
      readonly f: "append";
      readonly value: string;
      /** The polynomial hash of `value`. */
      readonly hash: number;
      /** B^value.length mod 2³²: what the hash of the string appended to is multiplied by. */
      readonly shift: number;
      /** No get of the key returns a string that contains `value`. */
      readonly unread: boolean;
    };

/** A kv output: what an `ok` get returned, as the step result it allows; `null` for puts and appends. */
export type KvOutput = Legal<KvState> | null;

const GET: KvInput = Object.freeze({ f: "get" as const });

/** Values are strings: a number or boolean argument is stored as its text, as a string store does. */
function asString(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new ModelInputError(`kv ${what} needs a string value, got ${JSON.stringify(v)}`);
}

function operation(call: Call): Operation<KvInput, KvOutput> | null {
  switch (call.f) {
    case "get": {
      if (call.type !== "ok") return null;
      // A get of a missing key is nil in most stores; the model's missing key reads "" (porcupine's kv model).
      const value =
        call.result === null || call.result === undefined ? "" : asString(call.result, "get result");
      return { input: GET, output: legal(kvState(value)) };
    }
    case "put": {
      if (call.type === "fail") return null;
      const value = asString(call.args, "put");
      return { input: { f: "put", ok: true, state: kvState(value), value }, output: null };
    }
    case "append": {
      if (call.type === "fail") return null;
      const value = asString(call.args, "append");
      const input: KvInput = {
        f: "append",
        value,
        hash: kvState(value).hash,
        shift: power(value.length),
        unread: false,
      };
      return { input, output: null };
    }
    default:
      throw new ModelInputError(
        `model kv has no operation f=${JSON.stringify(call.f)} (it knows get, put, append)`,
      );
  }
}

function step(state: KvState, input: KvInput, output: KvOutput): StepResult<KvState> {
  switch (input.f) {
    case "get":
      return output !== null && equalStates(output.state, state) ? output : ILLEGAL;
    case "put":
      return input;
    default:
      if (input.unread || state.unread) return legal(unreadState(state.value + input.value));
      return {
        ok: true,
        state: {
          value: state.value + input.value,
          hash: (Math.imul(state.hash, input.shift) + input.hash) | 0,
          unread: false,
        },
      };
  }
}

/**
 * Refine (see `refine.ts`): a string that contains a put value or an appended string that no get of the key
 * returned can never be read, so every such string is one unread state. Tested with one `includes` per put and
 * append against the key's distinct get results, joined by NUL: a match across two results only makes it keep
 * the string, which is always safe.
 */
function refine(inputs: KvInput[], outputs: KvOutput[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < inputs.length; i++) {
    const out = outputs[i];
    if (inputs[i].f === "get" && out !== null) seen.add(out.state.value);
  }
  const all = [...seen].join("\u0000");
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    if (x.f === "get" || all.includes(x.value)) continue;
    inputs[i] = x.f === "put" ? { ...x, state: unreadState(x.value) } : { ...x, unread: true };
  }
}

/**
 * Lookahead (see `lookahead.ts`): between puts a key's string only grows, so a get can still read what it read
 * only if the string now is a prefix of it.
 */
function reaches(state: KvState, input: KvInput, output: KvOutput): boolean {
  return input.f !== "get" || output === null || mayBePrefix(state, output.state);
}

function describeOperation(input: KvInput, output: KvOutput): string {
  switch (input.f) {
    case "get":
      return `get → ${JSON.stringify(output === null ? "?" : output.state.value)}`;
    case "put":
      return `put ${JSON.stringify(input.value)}`;
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
export const kvModel: Model<KvState, KvInput, KvOutput> &
  Lookahead<KvState, KvInput, KvOutput> &
  Refine<KvInput, KvOutput> = {
  name: "kv",
  init: () => EMPTY,
  step,
  equal: equalStates,
  hash: (s) => mix32(s.hash),
  partition: keyOf,
  operation,
  describeOperation,
  describeState: (s) => JSON.stringify(s.value),
  effect: (input) => (input.f === "put" ? "blind" : input.f === "get" ? "preserving" : "other"),
  stateBytes: (s) => 48 + 2 * s.value.length,
  reaches,
  refine,
};
