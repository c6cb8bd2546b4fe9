/**
 * `kv`: string semantics per key (get, put, append), porcupine's kv model.
 */
import { BASE, EMPTY, equalStates, kvState, mayBePrefix, power, unreadState } from "./kv-state.js";
import type { KvState } from "./kv-state.js";
import type { Absorbing } from "./absorbing.js";
import type { Lookahead } from "./lookahead.js";
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Legal, Model, Operation, StepResult } from "./model.js";
import type { Refine } from "./refine.js";
import { keyOf } from "./register.js";
import { mix32 } from "./values.js";

/**
 * A kv input: `get`; `put` (its own step result: `state` is what the put leaves); `append`. `refine` turns a put
 * whose value starts no get result of the key into one that leaves an unread state, and gives every append the
 * prefixes of the key's get results, so that a string that starts none of them becomes unread (see {@link KvState}).
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
      /**
       * Every prefix of every get result of the key, as {@link prefixKey}s (set by `refine`): a string whose key is
       * not here starts no get result, so no get can read it or anything appended to it.
       */
      readonly prefixes?: ReadonlySet<number>;
    };

/**
 * A string's length and hash folded into one 32-bit integer (a small integer keeps the set of prefixes fast). Two
 * strings may share one: that only makes a string look like it starts some get result, which is always safe.
 */
export function prefixKey(length: number, hash: number): number {
  return (hash ^ Math.imul(length + 1, 0x9e3779b1)) | 0;
}

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
    default: {
      if (input.unread || state.unread) return legal(unreadState(state.value + input.value));
      const value = state.value + input.value;
      const hash = (Math.imul(state.hash, input.shift) + input.hash) | 0;
      // A string that starts no get result is never read, nor is anything appended to it: it is unread.
      if (input.prefixes !== undefined && !input.prefixes.has(prefixKey(value.length, hash)))
        return legal(unreadState(value));
      return { ok: true, state: { value, hash, unread: false } };
    }
  }
}

/**
 * Refine (see `refine.ts`): a get is legal only from the very string it returned, so a string that starts none of
 * the key's get results can never be read, nor can any string appended to it until the next put: every such string
 * is one unread state. A put whose value starts no get result leaves it; each append gets the set of all prefixes of
 * the get results (by length and hash, {@link prefixKey}) to test the string it makes, and an append whose value no
 * result contains at all is marked unread outright. A hash collision only makes a string look readable, which is
 * always safe. On histories with many clients this is what keeps the search from trying every order of the appends
 * that a concurrent put then overwrites: all those strings are one state.
 */
function refine(inputs: KvInput[], outputs: KvOutput[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < inputs.length; i++) {
    const out = outputs[i];
    if (inputs[i].f === "get" && out !== null) seen.add(out.state.value);
  }
  // Only the results no other result extends matter: a prefix or a substring of one is also one of its extension's.
  const longest = [...seen].sort((a, b) => b.length - a.length);
  const maximal: string[] = [];
  for (const v of longest) if (!maximal.some((m) => m.startsWith(v))) maximal.push(v);
  const prefixes = new Set<number>([prefixKey(0, 0)]);
  for (const v of maximal) {
    let h = 0;
    for (let k = 0; k < v.length; k++) {
      h = (Math.imul(h, BASE) + v.charCodeAt(k)) | 0;
      prefixes.add(prefixKey(k + 1, h));
    }
  }
  const all = maximal.join("\u0000");
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    if (x.f === "get") continue;
    if (x.f === "put") {
      if (!prefixes.has(prefixKey(x.value.length, x.state.hash)))
        inputs[i] = { ...x, state: unreadState(x.value) };
      continue;
    }
    inputs[i] = all.includes(x.value) ? { ...x, prefixes } : { ...x, unread: true };
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
  Absorbing<KvState> &
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
  // An append of a string no get contains leaves the unread state from any state: blind, like a put.
  effect: (input) =>
    input.f === "get" ? "preserving" : input.f === "put" || input.unread ? "blind" : "other",
  absorbing: (s) => s.unread,
  stateBytes: (s) => 48 + 2 * s.value.length,
  reaches,
  refine,
};
