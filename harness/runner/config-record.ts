import type { ResolvedRunConfig } from "../config/index.js";
import type { WorkloadChecker } from "../../workloads/index.js";

/**
 * What `config.json` holds: the resolved configuration at the top level (so `faultline run --config
 * <run-dir>` replays it: same seed, same settings), the checkers `faultline check` re-runs offline, and under
 * `run` what happened at run time (id, version, start time, the cluster's layout) — ignored on replay.
 */
export function configRecord(
  config: ResolvedRunConfig,
  checkers: readonly WorkloadChecker[],
  run: Record<string, unknown>,
): Record<string, unknown> {
  return { ...config, checkers, run };
}
