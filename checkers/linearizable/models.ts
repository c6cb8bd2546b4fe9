/**
 * The built-in models by name, for the `model` option and the checker registry.
 */
import { casRegisterModel } from "./cas-register.js";
import { counterModel } from "./counter.js";
import { kvModel } from "./kv.js";
import type { AnyModel } from "./model.js";
import { registerModel } from "./register.js";
import { setModel } from "./set.js";

/** The names of the built-in models. */
export type ModelName = "register" | "cas-register" | "kv" | "set" | "counter";

/** The built-in models, by name. */
export const models: Readonly<Record<ModelName, AnyModel>> = Object.freeze({
  register: registerModel,
  "cas-register": casRegisterModel,
  kv: kvModel,
  set: setModel,
  counter: counterModel,
});

/** True when `name` names a built-in model. */
export function isModelName(name: string): name is ModelName {
  return Object.prototype.hasOwnProperty.call(models, name);
}
