export { checkLinearizable } from "./check.js";
export type { LinearizableOptions } from "./options.js";
export { DEFAULT_MAX_CACHE_BYTES } from "./options.js";
export type {
  Counterexample,
  KeyResult,
  LinearizableDetails,
  LinearizableResult,
  LinearizedStep,
  OpSummary,
  Progress,
} from "./result.js";
export type { AnyModel, Call, CallType, Effect, Legal, Model, Operation, StepResult } from "./model.js";
export { ILLEGAL, ModelInputError, legal } from "./model.js";
export type { ModelName } from "./models.js";
export { createModel, isModelName, models, withSemantics } from "./models.js";
export type { ModelOptions, RegisterInput, RegisterOutput } from "./register.js";
export { READ, createRegisterModel, registerModel } from "./register.js";
export type { Canonical } from "./values.js";
export { canonical } from "./values.js";
export type { CasInput, CasOutcome, CasRegisterInput, CasRegisterOutput } from "./cas-register.js";
export { casRegisterModel, createCasRegisterModel } from "./cas-register.js";
export type {
  MultiMop,
  MultiRegisterInput,
  MultiRegisterOutput,
  MultiRegisterState,
} from "./multi-register.js";
export { UNKNOWN, createMultiRegisterModel, multiRegisterModel } from "./multi-register.js";
export type { MutexInput, MutexOutput } from "./mutex.js";
export { createMutexModel, mutexModel } from "./mutex.js";
export type { KvInput, KvOutput } from "./kv.js";
export type { KvState } from "./kv-state.js";
export { kvModel } from "./kv.js";
export type { SetInput, SetOutput, SetState } from "./set.js";
export { setModel } from "./set.js";
export type { CounterInput, CounterOutput } from "./counter.js";
export { counterModel } from "./counter.js";
export { explain } from "./explain.js";
export type { LinearizableCheckerOptions } from "./definition.js";
export { linearizableChecker } from "./definition.js";
