import type { CheckerDefinition } from "../core/definition.js";
import { setChecker } from "../set/index.js";
import { setFullChecker } from "../set-full/index.js";
import { counterChecker } from "../counter/index.js";
import { statsChecker } from "../stats/index.js";
import { listAppendChecker } from "../list-append/index.js";
import { linearizableChecker } from "../linearizable/index.js";
import { stalenessChecker } from "../staleness/index.js";
import { splitBrainChecker } from "../split-brain/index.js";

/**
 * Every checker `faultline check --checker <name>` and `config.json` can name, in the order `--help` lists them.
 * To register a checker: export a `CheckerDefinition` from its folder's `index.ts`, import it here and add it to
 * the list (one entry each). Each entry has its own options type, hence `any`.
 */
export const registeredCheckers: readonly CheckerDefinition<any>[] = [
  setChecker,
  setFullChecker,
  counterChecker,
  statsChecker,
  stalenessChecker,
  splitBrainChecker,
  linearizableChecker,
  listAppendChecker,
];
