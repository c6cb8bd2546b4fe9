/**
 * `harness/results`: what CI reads from a run — `results.json` (its schema, documented in `RESULTS.md`) and
 * `junit.xml` — and the one function that writes a run's outputs (results, report, JUnit).
 */
export {
  RunResultsSchema,
  CheckerResultSchema,
  AnomalySchema,
  ValiditySchema,
  CHECKER_DETAIL_SCHEMAS,
  RESULTS_SCHEMA_VERSION,
  validateRunResults,
  resultsJsonSchema,
} from "./results-schema.js";
export type { RunResults } from "./results-schema.js";
export { junitXml, escapeXml } from "./junit-xml.js";
export type { JunitRun } from "./junit-xml.js";
export { writeRunArtifacts, runTitle, nemesisWords, junitRunOf } from "./write-run-artifacts.js";
export type { RunArtifactPaths, RunArtifactsInput, RunVerdictFields } from "./write-run-artifacts.js";
export { runResults, runFieldsOf, boundedResults, writeRunResults } from "./run-results.js";
export type {
  RunResultsDocument,
  RunResultsInput,
  RunFields,
  HistoryInfo,
  CheckerRecord,
} from "./run-results.js";
export { runCompleteness } from "./completeness.js";
export type { RunCompleteness, RunOutcome } from "./completeness.js";
export { boundLists, writeJsonLines, LIST_EXAMPLES } from "./bounded-lists.js";
export type { SpilledList, BoundListsOptions } from "./bounded-lists.js";
