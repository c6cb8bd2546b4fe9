/**
 * What a history's ops mean beyond "it happened": the two readings faultline knows (README, "Checking a
 * history"; DESIGN.md, "Operations and the history").
 */

/**
 * How a history is read.
 *
 * - `jepsen`: Jepsen's, Knossos's and Elle's meaning, which their histories (EDN) carry. A `fail` says only that the
 *   op had no effect: it observes nothing (their clients use `:fail` for errors too, and Knossos drops failed ops).
 *   A completed read of `nil` is an unknown value in Knossos's register models, not a read of `nil`.
 * - `faultline`: faultline's own runs (`history.jsonl`). `fail` also means "no effect", but a `fail` *without*
 *   `error` of a compare (a `cas`) records that the compare was evaluated and did not match, an observation the
 *   cas-register model uses; a `fail` with an `error` is a refusal and observes nothing. A read of `null` read
 *   `null`.
 */
export type Semantics = "jepsen" | "faultline";

/** Both semantics, in the order messages list them. */
export const SEMANTICS: readonly Semantics[] = ["jepsen", "faultline"];

/** True when `s` names a semantics. */
export function isSemantics(s: unknown): s is Semantics {
  return s === "jepsen" || s === "faultline";
}

/**
 * The semantics a history file carries by its format: an EDN file (`.edn`) is Jepsen's, everything else
 * (`history.jsonl`, a run directory) faultline's.
 *
 * @example
 * semanticsOfFile("knossos/data/cas-register/good/memstress3-0.edn"); // "jepsen"
 */
export function semanticsOfFile(path: string): Semantics {
  return path.toLowerCase().endsWith(".edn") ? "jepsen" : "faultline";
}
