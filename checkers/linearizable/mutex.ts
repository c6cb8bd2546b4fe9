/**
 * `mutex`: a lock per key (Knossos's `mutex`): `acquire` takes it, `release` gives it back.
 */
import { ILLEGAL, ModelInputError, legal } from "./model.js";
import type { Call, Model, Operation, StepResult } from "./model.js";
import type { ModelOptions } from "./register.js";
import { keyOf } from "./register.js";

/** A mutex call: which, and whether it is known to have happened (`ok`) or may have (`info`). */
export interface MutexInput {
  readonly f: "acquire" | "release";
}

/** `ok` (it happened) or `unknown` (`info`: it may have happened). */
export type MutexOutput = "ok" | "unknown";

const ACQUIRE: MutexInput = Object.freeze({ f: "acquire" as const });
const RELEASE: MutexInput = Object.freeze({ f: "release" as const });
const HELD = legal(true);
const FREE = legal(false);

function operation(call: Call): Operation<MutexInput, MutexOutput> | null {
  if (call.f !== "acquire" && call.f !== "release") {
    throw new ModelInputError(
      `model mutex has no operation f=${JSON.stringify(call.f)} (it knows acquire, release)`,
    );
  }
  // A failed acquire or release did not happen (in both semantics: it observed nothing either).
  if (call.type === "fail") return null;
  return { input: call.f === "acquire" ? ACQUIRE : RELEASE, output: call.type === "ok" ? "ok" : "unknown" };
}

/**
 * Acquiring a held lock, or releasing a free one, is illegal when it happened (`ok`). An `info` call is legal in
 * every state (the checker's contract): where it could not have happened it leaves the state as it was, as if it
 * had not happened there.
 */
function step(held: boolean, input: MutexInput, output: MutexOutput): StepResult<boolean> {
  if (input.f === "acquire") {
    if (!held) return HELD;
    return output === "ok" ? ILLEGAL : HELD;
  }
  if (held) return FREE;
  return output === "ok" ? ILLEGAL : FREE;
}

/** The initial state: `false` / `null` (free) or `true` (held). */
function initialHeld(initial: unknown): boolean {
  if (initial === undefined || initial === null || initial === false) return false;
  if (initial === true) return true;
  throw new ModelInputError(
    `mutex's initial state must be true (held) or false (free), got ${JSON.stringify(initial)}`,
  );
}

/**
 * A `mutex` (Knossos's): one lock per key, initially free (`options.initial`: `true` for held).
 *
 * Contract: `acquire` and `release` (values ignored). `ok`: it happened; `fail`: it did not (in both semantics);
 * `info`: it may have. A lock acquired while held, or released while free, makes the history invalid.
 *
 * @example
 * checkLinearizable(history, { model: createMutexModel() });
 */
export function createMutexModel(options: ModelOptions = {}): Model<boolean, MutexInput, MutexOutput> {
  const initial = initialHeld(options.initial);
  return {
    name: "mutex",
    init: () => initial,
    step,
    equal: (a, b) => a === b,
    hash: (s) => (s ? 0x5bd1e995 : 0x1b873593),
    partition: keyOf,
    operation,
    describeOperation: (input, output) =>
      `${input.f}${output === "unknown" ? " (may or may not have happened)" : ""}`,
    describeState: (held) => (held ? "held" : "free"),
    // An acquire or release that happened leaves a state that does not depend on the one before (it is legal from
    // one state only); one that may have happened may leave either.
    effect: (_input, output) => (output === "ok" ? "blind" : "other"),
  };
}

/** `mutex` with its defaults: free. */
export const mutexModel = createMutexModel();
