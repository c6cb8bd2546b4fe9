/**
 * `set`: a grow-only set per key; `add x` inserts, `read` returns the whole set.
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Model, Operation, StepResult } from "./model.js";
import { keyOf } from "./register.js";
import { canonicalJson, hashString } from "./values.js";

/** A set's state: its elements as canonical JSON texts, sorted, with an order-free hash kept up to date. */
export interface SetState {
  readonly elements: readonly string[];
  readonly hash: number;
}

/** A set input: a read, or the add of one element (as canonical JSON text). */
export type SetInput =
  { readonly f: "read" } | { readonly f: "add"; readonly element: string; readonly hash: number };

/** A set output: what an `ok` read returned, as the step result it allows; `null` for adds. */
export type SetOutput = { readonly ok: true; readonly state: SetState } | null;

const READ: SetInput = Object.freeze({ f: "read" as const });
const EMPTY: SetState = Object.freeze({ elements: Object.freeze([]) as readonly string[], hash: 0 });

function toState(values: unknown): SetState {
  if (values === null || values === undefined) return EMPTY; // a missing set reads as nil in some stores: empty
  if (!Array.isArray(values))
    throw new ModelInputError(`set read needs an array, got ${JSON.stringify(values)}`);
  // A read is a set: an element listed twice is still one element (duplicates are the set checker's business).
  const elements = [...new Set(values.map(canonicalJson))].sort();
  let hash = 0;
  for (const e of elements) hash ^= hashString(e);
  return { elements, hash };
}

function operation(call: Call): Operation<SetInput, SetOutput> | null {
  switch (call.f) {
    case "read": {
      if (call.type !== "ok") return null;
      return { input: READ, output: legal(toState(call.result)) };
    }
    case "add": {
      if (call.type === "fail") return null;
      const element = canonicalJson(call.args);
      return { input: { f: "add", element, hash: hashString(element) }, output: null };
    }
    default:
      throw new ModelInputError(
        `model set has no operation f=${JSON.stringify(call.f)} (it knows add, read)`,
      );
  }
}

/** Index of `x` in sorted `a`, or `-(insertion point) - 1`. */
function search(a: readonly string[], x: string): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = a[mid];
    if (m < x) lo = mid + 1;
    else if (m > x) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

function equal(a: SetState, b: SetState): boolean {
  if (a === b) return true;
  if (a.hash !== b.hash || a.elements.length !== b.elements.length) return false;
  for (let i = 0; i < a.elements.length; i++) if (a.elements[i] !== b.elements[i]) return false;
  return true;
}

function step(state: SetState, input: SetInput, output: SetOutput): StepResult<SetState> {
  if (input.f === "read") return output !== null && equal(state, output.state) ? output : ILLEGAL;
  const at = search(state.elements, input.element);
  if (at >= 0) return { ok: true, state };
  const ins = -at - 1;
  const elements = [...state.elements.slice(0, ins), input.element, ...state.elements.slice(ins)];
  return { ok: true, state: { elements, hash: state.hash ^ input.hash } };
}

function describeState(s: SetState): string {
  return `{${s.elements.join(", ")}}`;
}

/**
 * `set`: a set per key, initially empty.
 *
 * Contract: `add x` (value: the element, any JSON), `read` (`ok` value: an array of all elements, order free and
 * duplicates ignored; `null` = empty).
 */
export const setModel: Model<SetState, SetInput, SetOutput> = {
  name: "set",
  init: () => EMPTY,
  step,
  equal,
  hash: (s) => s.hash,
  partition: keyOf,
  operation,
  describeOperation: (input, output) =>
    input.f === "add"
      ? `add ${input.element}`
      : `read → ${output === null ? "?" : describeState(output.state)}`,
  describeState,
  effect: (input) => (input.f === "read" ? "preserving" : "other"),
  stateBytes: (s) => 48 + s.elements.length * 8,
};
