/**
 * The built-in models by name, for the `model` option and the checker registry, and how to build one with an
 * initial state and a semantics.
 */
import { casRegisterModel, createCasRegisterModel } from "./cas-register.js";
import { counterModel } from "./counter.js";
import { kvModel } from "./kv.js";
import { kvState, type KvState } from "./kv-state.js";
import { ModelInputError } from "./model.js";
import type { AnyModel, Call } from "./model.js";
import { createMultiRegisterModel, multiRegisterModel } from "./multi-register.js";
import { createMutexModel, mutexModel } from "./mutex.js";
import { createRegisterModel, registerModel } from "./register.js";
import type { ModelOptions } from "./register.js";
import { setModel } from "./set.js";

/** The names of the built-in models. */
export type ModelName = "register" | "cas-register" | "multi-register" | "mutex" | "kv" | "set" | "counter";

/** How each built-in model is built from {@link ModelOptions}. */
const builders: Readonly<Record<ModelName, (options: ModelOptions) => AnyModel>> = {
  register: createRegisterModel,
  "cas-register": createCasRegisterModel,
  "multi-register": createMultiRegisterModel,
  mutex: createMutexModel,
  kv: (o) => withInitial(kvModel, o.initial, kvInitial),
  set: (o) => withInitial(setModel, o.initial, setInitial),
  counter: (o) => withInitial(counterModel, o.initial, counterInitial),
};

/** The built-in models with their defaults (initial state, faultline's semantics), by name. */
export const models: Readonly<Record<ModelName, AnyModel>> = Object.freeze({
  register: registerModel,
  "cas-register": casRegisterModel,
  "multi-register": multiRegisterModel,
  mutex: mutexModel,
  kv: kvModel,
  set: setModel,
  counter: counterModel,
});

/** True when `name` names a built-in model. */
export function isModelName(name: string): name is ModelName {
  return Object.prototype.hasOwnProperty.call(builders, name);
}

/**
 * Builds a built-in model with an initial state (JSON: `0` for a register, `{"x": 0}` for a multi-register,
 * `true` for a held mutex, a string for kv, an array for a set, a number for a counter) and a semantics (how `fail`
 * and a read of `null` are read; see {@link Semantics}). Under Jepsen's semantics every `fail` is dropped: it had
 * no effect and observed nothing.
 *
 * @throws ModelInputError when the initial state does not fit the model.
 * @example
 * const knossosCasRegister = createModel("cas-register", { initial: 0, semantics: "jepsen" });
 */
export function createModel(name: ModelName, options: ModelOptions = {}): AnyModel {
  return withSemantics(builders[name](options), options.semantics);
}

/**
 * A model read under `semantics`: Jepsen's drops every `fail` call (no effect, no observation), whatever the model
 * makes of it; faultline's (or none) leaves the model as it is. The model still sees the call first, so a call it
 * does not know is still reported.
 */
export function withSemantics(model: AnyModel, semantics: ModelOptions["semantics"]): AnyModel {
  if (semantics !== "jepsen") return model;
  const operation = model.operation.bind(model);
  return {
    ...model,
    operation: (call: Call) => {
      const op = operation(call);
      return call.type === "fail" ? null : op;
    },
  };
}

/** `model` with another initial state, when `initial` is given (validated by `convert`). */
function withInitial<S>(model: AnyModel, initial: unknown, convert: (initial: unknown) => S): AnyModel {
  if (initial === undefined) return model;
  const state = convert(initial);
  return { ...model, init: () => state };
}

function kvInitial(initial: unknown): KvState {
  if (typeof initial === "string") return kvState(initial);
  throw new ModelInputError(`kv's initial state must be a string, got ${JSON.stringify(initial)}`);
}

function counterInitial(initial: unknown): number {
  if (typeof initial === "number" && Number.isFinite(initial)) return initial;
  throw new ModelInputError(`counter's initial state must be a number, got ${JSON.stringify(initial)}`);
}

/** The set holding `initial`'s elements: built by adding them one by one to the empty set. */
function setInitial(initial: unknown): unknown {
  if (!Array.isArray(initial)) {
    throw new ModelInputError(
      `set's initial state must be an array of elements, got ${JSON.stringify(initial)}`,
    );
  }
  let state: unknown = setModel.init();
  for (const element of initial) {
    const call: Call = {
      f: "add",
      key: undefined,
      args: element,
      result: undefined,
      type: "ok",
      error: undefined,
    };
    const op = setModel.operation(call);
    const next = op === null ? undefined : setModel.step(state as never, op.input, op.output);
    if (next?.ok) state = next.state;
  }
  return state;
}
