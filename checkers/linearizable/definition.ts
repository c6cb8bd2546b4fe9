/**
 * The `linearizable` checker as the registry lists it.
 */
import { budgetOptionSpecs } from "../core/definition.js";
import type { CheckerDefinition } from "../core/definition.js";
import { checkLinearizable } from "./check.js";
import { models } from "./models.js";
import type { ModelName } from "./models.js";
import { SEMANTICS } from "../history/semantics.js";
import type { Semantics } from "../history/semantics.js";

/** The registry's options of `linearizable`: JSON-friendly (`null` = no limit, the model's own initial state). */
export interface LinearizableCheckerOptions {
  model: ModelName;
  initial: unknown;
  semantics: Semantics;
  timeLimitMs: number | null;
  maxOps: number | null;
  maxCacheBytes: number | null;
  workers: number | null;
}

/** `linearizable`: Wing–Gong/Lowe search per key with a model (`--checker linearizable`, option `model`). */
export const linearizableChecker: CheckerDefinition<LinearizableCheckerOptions> = {
  name: "linearizable",
  description:
    "linearizability per key (Wing–Gong/Lowe search, P-compositional) under a model: register (read/write), " +
    "cas-register (read/write/cas [expected, new]), multi-register (txn of read/write k v), mutex " +
    "(acquire/release), kv (get/put/append strings), set (add/read), counter (incr/add/read); an invalid result " +
    "names the op that cannot be linearized and the longest linearizable prefix",
  defaultOptions: {
    model: "cas-register",
    initial: null,
    semantics: "faultline",
    timeLimitMs: null,
    maxOps: null,
    maxCacheBytes: null,
    workers: null,
  },
  optionSpecs: {
    model: {
      type: "string",
      values: Object.keys(models),
      description: "the sequential specification each key must follow",
    },
    initial: {
      type: "json",
      nullable: true,
      description:
        "the model's initial state as JSON (null: the model's own; Knossos's registers start at 0, " +
        'a multi-register at {"x": 0, …})',
    },
    semantics: {
      type: "string",
      values: SEMANTICS,
      description:
        "how ops are read: jepsen (a fail had no effect and observed nothing; a register read of nil is unknown) " +
        "or faultline (a cas fail without error observed a mismatch); faultline check picks jepsen for .edn files",
    },
    maxCacheBytes: {
      type: "integer",
      nullable: true,
      min: 1,
      description:
        "memory budget in bytes of one key's search (null: 1 GiB); exceeding it gives valid: unknown",
    },
    workers: {
      type: "integer",
      nullable: true,
      min: 1,
      description:
        "worker threads that may search keys at once (null: min(2, cores); 1: none); used only when two or more " +
        "keys are still open after the first two rounds of the search (about 67,000 steps each); same verdict and key",
    },
    ...budgetOptionSpecs,
  },
  check: (history, { initial, ...options }, context) =>
    checkLinearizable(history, {
      ...options,
      ...(initial === null ? {} : { initial }),
      now: context.now,
    }),
};
