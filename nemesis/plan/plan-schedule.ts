import { createRandom } from "../../core/random/index.js";
import { cycleWindows } from "../cycle/index.js";
import { generateSchedule, parseNemesisFlag, type Cut, type Schedule } from "../schedule/index.js";

/** What a run's schedule is planned from: the run configuration's nemesis settings and cluster size. */
export interface SchedulePlanInput {
  /** `--nemesis`: `none`, one spine fault, or families and named faults (`partition,kill`). */
  readonly nemesis: string;
  readonly seed: number;
  readonly timeLimit: number;
  /** Spine fault: quiet time before each fault. Mixed faults: the mean gap between fault starts. */
  readonly nemesisInterval: number;
  /** `kill-leader` cycled alone: how long the leader stays down. */
  readonly restartDelay: number;
  /** `partition-leader` cycled alone: how long each partition lasts. */
  readonly partitionDuration: number;
  readonly cut: Cut;
  /** Mixed faults: fault-free time before the final heal; default a quarter of the run, at most 5 s. */
  readonly quietPeriod?: number;
  /** Client processes (`c1…cN`). */
  readonly concurrency: number;
  /**
   * The cluster's data nodes and failover managers (the store's shape), and whether its nodes' failover agents
   * and its managers' consensus leader can be targeted.
   */
  readonly shape: {
    readonly nodes: number;
    readonly managers: number;
    readonly agents?: boolean;
    readonly consensusLeader?: boolean;
  };
}

/** The spine's faults, which `--nemesis` alone keeps cycling with the spine's timing. */
const CYCLED = ["kill-leader", "partition-leader"] as const;

/**
 * The fault schedule of a run, as data for `config.json`:
 *
 * - `none`: no window;
 * - a spine fault alone (`kill-leader`, `partition-leader`): the spine's cycle (`cycleWindows`: quiet
 *   `nemesisInterval`, then `restartDelay` / `partitionDuration` of fault, and again); a partitioned leader keeps
 *   half of the clients, at least one, as the spine's fault did;
 * - anything else: `generateSchedule` over those faults with `nemesisInterval` as the mean gap between starts,
 *   faults of 1–8 s (shorter in short runs) ending before a quiet period, drawn from a seed derived from the
 *   run's, for a cluster of this size.
 *
 * Deterministic: the same input always gives the same schedule.
 *
 * @example
 * planSchedule({ nemesis: "partition,kill", seed: 7, timeLimit: 30_000, nemesisInterval: 5000, … }).windows;
 */
export function planSchedule(input: SchedulePlanInput): Schedule {
  const choices = parseNemesisFlag(input.nemesis);
  const empty: Schedule = {
    timeLimit: input.timeLimit,
    quietPeriod: 0,
    minDuration: 1,
    maxDuration: input.timeLimit,
    windows: [],
  };
  if (choices.length === 0) return empty;
  const clients = Array.from({ length: input.concurrency }, (_, i) => `c${i + 1}`);
  const [only] = choices;
  if (choices.length === 1 && (CYCLED as readonly string[]).includes(only!)) {
    const kill = only === "kill-leader";
    return cycleWindows({
      fault: kill ? "kill-leader" : "partition-leader",
      intervalMs: input.nemesisInterval,
      durationMs: kill ? input.restartDelay : input.partitionDuration,
      timeLimit: input.timeLimit,
      cut: input.cut,
      ...(kill ? {} : { clients: clients.slice(0, Math.max(1, Math.floor(clients.length / 2))) }),
    });
  }
  const quietPeriod = input.quietPeriod ?? Math.min(5_000, Math.floor(input.timeLimit / 4));
  const horizon = input.timeLimit - quietPeriod;
  const maxDuration = Math.max(1, Math.min(8_000, horizon));
  const minDuration = Math.min(1_000, maxDuration);
  return generateSchedule(
    {
      faults: choices,
      interval: Math.max(1, input.nemesisInterval),
      timeLimit: input.timeLimit,
      quietPeriod,
      minDuration,
      maxDuration,
      cut: input.cut,
      cluster: { ...input.shape, clients: input.concurrency },
    },
    createRandom(input.seed).fork("schedule").seed,
  );
}
