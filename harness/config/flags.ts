import { BACKENDS, CUTS, DOCKER_IMAGE_SOURCES, NETWORKS, WORKLOADS } from "./defaults.js";
import { STORES, DEFAULT_STORE } from "../../stores/index.js";

/** How a flag's text becomes a config value. */
export type FlagKind = "duration" | "int" | "number" | "string" | "boolean" | "choice" | "json-file";

/** One `faultline run` flag and the config field it sets. */
export interface FlagSpec {
  /** Commander flag syntax, e.g. `--time-limit <duration>`. */
  flags: string;
  /** Dotted config field path, e.g. `store.downAfter`. */
  field: string;
  kind: FlagKind;
  description: string;
  choices?: readonly string[];
  /** A valid value, for flags whose text follows a grammar of its own (help texts and tests use it). */
  example?: string;
}

/**
 * Every `faultline run` flag, with the config field it sets. The CLI registers these, and the resolver uses
 * them to name the flag (rather than the field) in error messages when a bad value came from the command line.
 */
export const RUN_FLAGS: readonly FlagSpec[] = [
  {
    flags: "--store <kind>",
    field: "store.kind",
    kind: "choice",
    choices: STORES.map((s) => s.kind),
    description: `the store under test (default ${DEFAULT_STORE}; faultline stores lists them)`,
  },
  {
    flags: "--test-name <name>",
    field: "testName",
    kind: "string",
    description: "names the run directory (default <workload>-<nemesis>)",
  },
  {
    flags: "--workload <name>",
    field: "workload",
    kind: "choice",
    choices: WORKLOADS,
    description: "the workload to drive",
  },
  {
    flags: "--time-limit <duration>",
    field: "timeLimit",
    kind: "duration",
    description: "how long clients issue operations",
  },
  {
    flags: "--concurrency <n>",
    field: "concurrency",
    kind: "int",
    description: "logical client processes (one operation in flight each)",
  },
  {
    flags: "--rate <ops/s>",
    field: "rate",
    kind: "number",
    description: "target operations per second over all processes; 0 = unlimited",
  },
  {
    flags: "--op-timeout <duration>",
    field: "opTimeout",
    kind: "duration",
    description: "deadline per operation; past it the operation is recorded as info",
  },
  {
    flags: "--seed <n>",
    field: "seed",
    kind: "int",
    description: "the run's seed (default: random, written to config.json)",
  },
  {
    flags: "--nemesis <faults>",
    field: "nemesis",
    kind: "string",
    example: "partition,kill",
    description:
      "none; kill-leader or partition-leader alone (cycled with the spine's timing); or families and named faults " +
      "mixed by a schedule drawn from the seed: partition,kill,pause,latency,clock,link, isolate-follower, " +
      "pause-manager, … (see README, Faults)",
  },
  {
    flags: "--schedule <file>",
    field: "schedule",
    kind: "json-file",
    example: "test/fixtures/schedules/leader-partition.json",
    description:
      "a fault schedule (JSON, as config.json stores it) to run instead of drawing one; it sets the run's length",
  },
  {
    flags: "--cut <style>",
    field: "cut",
    kind: "choice",
    choices: CUTS,
    description:
      "how partitions cut links: blackhole (bytes held, connections hang) or refuse (connections reset)",
  },
  {
    flags: "--quiet-period <duration>",
    field: "quietPeriod",
    kind: "duration",
    description:
      "mixed faults: fault-free time before the final heal (default: a quarter of the run, at most 5s)",
  },
  {
    flags: "--toxiproxy-url <url>",
    field: "toxiproxyUrl",
    kind: "string",
    example: "http://127.0.0.1:8474",
    description:
      "use this Toxiproxy (or faultline proxy) server instead of starting faultline's proxy; a plain Toxiproxy " +
      "runs process faults, partition-leader and client-link faults only",
  },
  {
    flags: "--replication <mode>",
    field: "replication",
    kind: "string",
    example: "wait:1:100",
    description: `how writes are replicated; async (every store's default) or one of the store's modes: ${STORES.map(
      (s) => `${s.kind}: ${s.replication.grammar}`,
    ).join("; ")}`,
  },
  {
    flags: "--nemesis-interval <duration>",
    field: "nemesisInterval",
    kind: "duration",
    description:
      "a cycled spine fault: quiet time before each fault; mixed faults: mean time between fault starts",
  },
  {
    flags: "--restart-delay <duration>",
    field: "restartDelay",
    kind: "duration",
    description: "kill-leader: downtime before the killed node restarts",
  },
  {
    flags: "--partition-duration <duration>",
    field: "partitionDuration",
    kind: "duration",
    description: "partition-leader: how long each partition lasts",
  },
  {
    flags: "--recovery-timeout <duration>",
    field: "recoveryTimeout",
    kind: "duration",
    description: "final phase: how long to wait for a healthy leader",
  },
  { flags: "--store-dir <dir>", field: "storeDir", kind: "string", description: "where run directories go" },
  {
    flags: "--leave-running",
    field: "leaveRunning",
    kind: "boolean",
    description: "keep the cluster running after the run (stop it with faultline cleanup)",
  },
  {
    flags: "--require-faults",
    field: "requireFaults",
    kind: "boolean",
    description:
      "a scheduled fault that failed to apply or was skipped makes the run unknown (exit 2) instead of a warning",
  },
  {
    flags: "--network <mode>",
    field: "network",
    kind: "choice",
    choices: NETWORKS,
    description: "proxy: every link through faultline's proxy; direct: none (no partitions)",
  },
  {
    flags: "--backend <name>",
    field: "backend",
    kind: "choice",
    choices: BACKENDS,
    description: "where the nodes run: local processes, or docker containers",
  },
  {
    flags: "--docker-images <source>",
    field: "docker.images",
    kind: "choice",
    choices: DOCKER_IMAGE_SOURCES,
    description:
      "docker backend: official images (the store's, and ghcr.io/shopify/toxiproxy:2.12.0; pull them yourself) or " +
      "local ones (faultline images build-local)",
  },
  {
    flags: "--proxy-image <image>",
    field: "docker.proxyImage",
    kind: "string",
    description: "docker backend: the proxy image, faultline's or a Toxiproxy (overrides --docker-images)",
  },
  // Each store's own settings; a flag two stores share sets the same field.
  ...STORES.flatMap((s) => s.flags).filter(
    (f, i, all) => all.findIndex((g) => g.flags.split(" ")[0] === f.flags.split(" ")[0]) === i,
  ),
];

/** The long flag name of a spec, e.g. `--time-limit`. */
export function flagName(spec: FlagSpec): string {
  return spec.flags.split(/[ ,]/)[0]!;
}

/** The commander attribute name of a spec (`--time-limit` → `timeLimit`). */
export function flagAttribute(spec: FlagSpec): string {
  return flagName(spec)
    .replace(/^--/, "")
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
