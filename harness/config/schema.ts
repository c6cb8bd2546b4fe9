import { z } from "zod";
import {
  BACKENDS,
  CUTS,
  DOCKER_IMAGE_SOURCES,
  NETWORKS,
  PERSISTENCE,
  RUN_DEFAULTS as D,
  WORKLOADS,
} from "./defaults.js";
import type { NEMESES } from "./defaults.js";
import { durationMs } from "../duration/index.js";
import {
  checkSchedule,
  FAULT_CATALOGUE,
  faultNamesOf,
  parseNemesisFlag,
  ScheduleSchema,
  type NemesisChoice,
  type Schedule,
} from "../../nemesis/schedule/index.js";
import { formatReplicationMode, parseReplicationMode, replicationProblem } from "./replication-mode.js";

/**
 * A duration field: a number of milliseconds, or a string in the {@link durationMs} grammar (`"20s"`). Always
 * resolves to milliseconds, so `config.json` (which holds numbers) replays as it was run.
 */
function duration(min: number, max: number) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const ms = typeof v === "number" ? v : durationMs(v);
    if (ms === undefined || !Number.isFinite(ms)) {
      ctx.addIssue({
        code: "custom",
        message: `must be a duration like 500ms, 30s or 2m, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: "custom", message: `must be between ${min} ms and ${max} ms, got ${ms} ms` });
      return z.NEVER;
    }
    return Math.round(ms);
  });
}

export { NEMESES, PERSISTENCE, WORKLOADS, NETWORKS, BACKENDS, DOCKER_IMAGE_SOURCES } from "./defaults.js";

/** The store's settings: cluster shape, replication safety, failover timings (spec §1.4, §3). */
export const StoreConfigSchema = z.strictObject({
  /** Followers (Redis replicas) next to the one leader. */
  followers: z.int().min(1).max(8).default(D.store.followers),
  /** Failover managers (Redis Sentinels). */
  failoverManagers: z.int().min(1).max(9).default(D.store.failoverManagers),
  /** Failover managers that must agree the leader is down; default: a majority. */
  quorum: z.int().min(1).max(9).optional(),
  /** Redis `min-replicas-to-write`: 0 = off. */
  minReplicasToWrite: z.int().min(0).max(8).default(D.store.minReplicasToWrite),
  /** Redis `min-replicas-max-lag`, in seconds (1-second granularity in Redis). */
  minReplicasMaxLag: z.int().min(1).max(3600).default(D.store.minReplicasMaxLag),
  persistence: z.enum(PERSISTENCE).default(D.store.persistence),
  /** Sentinel `down-after-milliseconds` (spec §3: 1000 is the fast, still stable choice on 2 cores). */
  downAfter: duration(100, 600_000).default(D.store.downAfter),
  /** Sentinel `failover-timeout` (spec §3: never below 2000; 1000 ends failovers by timeout). */
  failoverTimeout: duration(2000, 3_600_000).default(D.store.failoverTimeout),
});

/** The docker backend's images (`harness/images`): a source, and either image named on its own. */
export const DockerConfigSchema = z.strictObject({
  /** `official` (`redis:7`, `ghcr.io/shopify/toxiproxy:2.12.0`) or `local` (`faultline images build-local`). */
  images: z.enum(DOCKER_IMAGE_SOURCES).default(D.docker.images),
  /** The Redis image (also run as Sentinel); overrides `images`. */
  redisImage: z.string().min(1).optional(),
  /** The proxy image (faultline's proxy or a Toxiproxy); overrides `images`. */
  proxyImage: z.string().min(1).optional(),
});

/** The checkers a run's `config.json` names, so `faultline check <run-dir>` re-checks offline. */
export const CheckerRefSchema = z.strictObject({
  name: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Everything a run needs, with defaults. Config files, flags and `config.json` all go through it, and its
 * errors name the bad field. `run` and `checkers` are what faultline itself writes into `config.json`; they are
 * accepted so that `--config <run-dir>/config.json` replays a run.
 */
export const RunConfigSchema = z
  .strictObject({
    /** Names the run directory `store/<test-name>/<timestamp>/`; default `<workload>-<nemesis>`. */
    testName: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
        "must be letters, digits, '.', '_' or '-' (it names a directory)",
      )
      .max(100)
      .optional(),
    workload: z.enum(WORKLOADS).default(D.workload),
    /** How long clients issue operations (the final phase comes after). */
    timeLimit: duration(100, 24 * 3_600_000).default(D.timeLimit),
    /** Logical client processes, one operation in flight each. */
    concurrency: z.int().min(1).max(64).default(D.concurrency),
    /** Target operations per second over all processes; 0 = as fast as they go. */
    rate: z.number().min(0).max(1_000_000).default(D.rate),
    /** The harness's own deadline per operation; past it the operation is recorded as `info`. */
    opTimeout: duration(50, 600_000).default(D.opTimeout),
    /** The run's one seed (workload and nemesis); chosen at random when absent and written to config.json. */
    seed: z.int().min(0).max(0xffff_ffff).optional(),
    /**
     * The faults: `none`, a spine fault cycled alone, or families and named faults mixed by a seeded schedule
     * (`nemesis/schedule`'s catalogue), kept as the canonical comma-separated list.
     */
    nemesis: z
      .string()
      .default(D.nemesis)
      .transform((v, ctx) => {
        try {
          const choices = parseNemesisFlag(v);
          return choices.length === 0 ? "none" : choices.join(",");
        } catch (err) {
          ctx.addIssue({ code: "custom", message: (err as Error).message.replace(/^--nemesis: /, "") });
          return z.NEVER;
        }
      }),
    /** A fault schedule to run as is (`--schedule`, or the one `config.json` stored); it sets the run's length. */
    schedule: ScheduleSchema.optional(),
    /** How partitions cut links. */
    cut: z.enum(CUTS).default(D.cut),
    /** Mixed faults: fault-free time before the final heal (default: a quarter of the run, at most 5 s). */
    quietPeriod: duration(0, 24 * 3_600_000).optional(),
    /** A proxy server to use instead of starting faultline's (`--toxiproxy-url`): a real Toxiproxy, or faultline's. */
    toxiproxyUrl: z
      .url({ protocol: /^https?$/, error: "must be an http:// URL such as http://127.0.0.1:8474" })
      .optional(),
    /** How writes are replicated: `async`, `wait:N:MS` or `min-replicas:N:LAG` (kept as its canonical text). */
    replication: z
      .string()
      .default(D.replication)
      .transform((v, ctx) => {
        const parsed = parseReplicationMode(v);
        if ("error" in parsed) {
          ctx.addIssue({ code: "custom", message: parsed.error });
          return z.NEVER;
        }
        return formatReplicationMode(parsed.mode);
      }),
    /** A cycled spine fault: quiet time before each fault; mixed faults: the mean time between fault starts. */
    nemesisInterval: duration(0, 3_600_000).default(D.nemesisInterval),
    /** kill-leader: how long the killed leader stays down before it is restarted. */
    restartDelay: duration(0, 3_600_000).default(D.restartDelay),
    /** partition-leader: how long the partition lasts before it heals. */
    partitionDuration: duration(100, 3_600_000).default(D.partitionDuration),
    /** Final phase: how long to wait for a writable leader with every follower connected. */
    recoveryTimeout: duration(1000, 3_600_000).default(D.recoveryTimeout),
    store: StoreConfigSchema.prefault({}),
    /** Where run directories go. */
    storeDir: z.string().min(1).default(D.storeDir),
    /** Keep the cluster running after the run (stop it later with `faultline cleanup`). */
    leaveRunning: z.boolean().default(D.leaveRunning),
    /** `proxy`: every link through faultline's proxy (needed for partitions); `direct`: no proxy. */
    network: z.enum(NETWORKS).default(D.network),
    /** Where the nodes run: `local` processes or `docker` containers. */
    backend: z.enum(BACKENDS).default(D.backend),
    docker: DockerConfigSchema.prefault({}),
    checkers: z.array(CheckerRefSchema).optional(),
    run: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((c, ctx) => {
    const linkFaults = linkFaultNames(c.nemesis);
    if (linkFaults.length > 0 && c.network !== "proxy") {
      ctx.addIssue({
        code: "custom",
        path: ["nemesis"],
        message: `${linkFaults.join(", ")} ${linkFaults.length === 1 ? "cuts" : "cut"} links in the proxy, so ${linkFaults.length === 1 ? "it needs" : "they need"} network: proxy`,
      });
    }
    if (c.schedule) {
      const shape = {
        nodes: c.store.followers + 1,
        managers: c.store.failoverManagers,
        clients: c.concurrency,
      };
      const check = checkSchedule(c.schedule, shape);
      for (const p of check.valid ? [] : check.problems) {
        ctx.addIssue({ code: "custom", path: ["schedule", ...fieldPath(p.path)], message: p.message });
      }
      const needsProxy = c.schedule.windows.filter((w) => ["partition", "latency", "link"].includes(w.fault));
      if (needsProxy.length > 0 && c.network !== "proxy") {
        ctx.addIssue({
          code: "custom",
          path: ["schedule"],
          message: `window ${needsProxy[0]!.id} (${needsProxy[0]!.fault}) acts on links in the proxy, so it needs network: proxy`,
        });
      }
    }
    if (c.toxiproxyUrl !== undefined && (c.network !== "proxy" || c.backend !== "local")) {
      ctx.addIssue({
        code: "custom",
        path: ["toxiproxyUrl"],
        message: "a proxy server of your own needs network: proxy and the local backend",
      });
    }
    if (c.store.minReplicasToWrite > c.store.followers) {
      ctx.addIssue({
        code: "custom",
        path: ["store", "minReplicasToWrite"],
        message: `cannot exceed the number of followers (${c.store.followers}): no write could ever succeed`,
      });
    }
    const replication = parseReplicationMode(c.replication);
    const problem =
      "mode" in replication
        ? replicationProblem(replication.mode, { ...c.store, opTimeout: c.opTimeout })
        : undefined;
    if (problem) ctx.addIssue({ code: "custom", path: ["replication"], message: problem });
    if (c.store.quorum !== undefined && c.store.quorum > c.store.failoverManagers) {
      ctx.addIssue({
        code: "custom",
        path: ["store", "quorum"],
        message: `cannot exceed the number of failover managers (${c.store.failoverManagers})`,
      });
    }
  });

/** The faults of a `nemesis` list that act on links (so need the proxy network). */
function linkFaultNames(nemesis: string): string[] {
  if (nemesis === "none") return [];
  return nemesis
    .split(",")
    .filter((choice) =>
      faultNamesOf(choice as NemesisChoice).some((n) =>
        ["partition", "latency", "link"].includes(FAULT_CATALOGUE[n].fault),
      ),
    );
}

/** `windows[2].params.kind` → `["windows", 2, "params", "kind"]`. */
function fieldPath(path: string): (string | number)[] {
  return path
    .split(/\.|\[|\]/)
    .filter((p) => p !== "")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The raw input shape (what a config file or flags may give). */
export type RunConfigInput = z.input<typeof RunConfigSchema>;
/** The resolved shape with every default filled in, except the seed and test name (see `ResolvedRunConfig`). */
export type ParsedRunConfig = z.output<typeof RunConfigSchema>;
/** The docker backend's settings, resolved. */
export type DockerConfig = z.output<typeof DockerConfigSchema>;
/** Store settings, resolved. */
export type StoreConfig = z.output<typeof StoreConfigSchema>;
/** A checker named in config.json. */
export type CheckerRef = z.output<typeof CheckerRefSchema>;
/** One of {@link NEMESES}. */
export type NemesisName = (typeof NEMESES)[number];
/** One of {@link PERSISTENCE}. */
export type Persistence = (typeof PERSISTENCE)[number];

/**
 * A run configuration with nothing left to choose: the seed, test name, quorum and fault schedule are fixed (the
 * schedule given, or the one planned from `nemesis`, `nemesisInterval` and the seed).
 */
export type ResolvedRunConfig = Omit<
  ParsedRunConfig,
  "seed" | "testName" | "store" | "run" | "checkers" | "schedule"
> & {
  seed: number;
  testName: string;
  schedule: Schedule;
  store: StoreConfig & { quorum: number };
};
