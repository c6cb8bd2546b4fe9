import type { ResolvedRunConfig } from "../config/index.js";
import {
  faultNemesis,
  noopNemesis,
  type Fault,
  type FaultContext,
  type Nemesis,
} from "../../nemesis/core/index.js";
import { cycleSchedule, type Schedule } from "../../nemesis/cycle/index.js";
import { killLeader, partitionLeader } from "../../nemesis/faults/index.js";

/**
 * The nemesis and schedule of a spine run: `--nemesis` names one fault, cycled every `--nemesis-interval` for
 * `--restart-delay` (kill-leader) or `--partition-duration` (partition-leader); `none` is the noop nemesis with an
 * empty schedule. (Issue 6's seeded schedules replace this with a schedule of many faults.)
 *
 * @example
 * const { nemesis, schedule } = spineNemesis(config, { cluster, clients: ["c1", "c2"], random: rng.fork("nemesis") });
 */
export function spineNemesis(
  config: Pick<ResolvedRunConfig, "nemesis" | "nemesisInterval" | "restartDelay" | "partitionDuration">,
  ctx: FaultContext,
): { nemesis: Nemesis; schedule: Schedule } {
  if (config.nemesis === "none") return { nemesis: noopNemesis(), schedule: [] };
  const fault: Fault = config.nemesis === "kill-leader" ? killLeader() : partitionLeader();
  return {
    nemesis: faultNemesis([fault], ctx),
    schedule: cycleSchedule({
      fault: fault.name,
      intervalMs: config.nemesisInterval,
      durationMs: config.nemesis === "kill-leader" ? config.restartDelay : config.partitionDuration,
    }),
  };
}
