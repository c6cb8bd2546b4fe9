import { z } from "zod";
import { BACKENDS, CUTS, DOCKER_IMAGE_SOURCES, NETWORKS, RUN_DEFAULTS as D, WORKLOADS } from "./defaults.js";
import type { NEMESES } from "./defaults.js";
import { durationField } from "../../core/index.js";
import { DEFAULT_STORE, STORES, storeAdapter, type StoreSettings } from "../../stores/index.js";
import {
  checkSchedule,
  FAULT_CATALOGUE,
  faultNamesOf,
  parseNemesisFlag,
  ScheduleSchema,
  type NemesisChoice,
  type Schedule,
} from "../../nemesis/schedule/index.js";

const duration = durationField;

export { NEMESES, WORKLOADS, NETWORKS, BACKENDS, DOCKER_IMAGE_SOURCES } from "./defaults.js";

/**
 * The store under test and its settings: `{ kind, … }`, the rest validated by that store's own schema
 * (`stores/<kind>/`); `kind` defaults to the first store of the registry, so a config without one keeps working.
 */
export const StoreConfigSchema = z.preprocess(
  (v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && !("kind" in v)
      ? { kind: DEFAULT_STORE, ...v }
      : v,
  z.discriminatedUnion(
    "kind",
    STORES.map((s) => s.settings) as unknown as [z.ZodObject<{ kind: z.ZodLiteral<string> }>],
    {
      error: (issue) =>
        issue.code === "invalid_union" ? `must be one of ${STORES.map((s) => s.kind).join(", ")}` : undefined,
    },
  ),
);

/** The docker backend's images (`core/images`): a source, and either image named on its own. */
export const DockerConfigSchema = z.strictObject({
  /** `official` (the stores' official images and `ghcr.io/shopify/toxiproxy:2.12.0`) or `local` (`faultline images build-local`). */
  images: z.enum(DOCKER_IMAGE_SOURCES).default(D.docker.images),
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
    /** How writes are replicated: one of the store's modes (`async` is every store's default), canonical text. */
    replication: z.string().default(D.replication),
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
    /**
     * A scheduled fault that failed to apply or was skipped makes the run unknown (exit 2), saying which and why;
     * without it that is a warning on stderr (and in `results.json`'s `faults`).
     */
    requireFaults: z.boolean().default(D.requireFaults),
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
    const store = storeAdapter(c.store.kind);
    for (const p of store.check(c.store)) {
      ctx.addIssue({ code: "custom", path: ["store", ...p.path], message: p.message });
    }
    if (c.schedule) {
      const shape = { ...store.shape(c.store), clients: c.concurrency };
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
    if (!store.workloads.includes(c.workload)) {
      ctx.addIssue({
        code: "custom",
        path: ["workload"],
        message: `the ${c.store.kind} store cannot run the ${c.workload} workload (it runs ${store.workloads.join(", ")})`,
      });
    }
    if (!store.backends.includes(c.backend)) {
      ctx.addIssue({
        code: "custom",
        path: ["backend"],
        message: `the ${c.store.kind} store runs on ${store.backends.join(", ")}, not ${c.backend}`,
      });
    }
    const canonical = store.replication.canonical(c.replication);
    const problem =
      "error" in canonical
        ? canonical.error
        : store.replication.problem(canonical.text, c.store, { opTimeoutMs: c.opTimeout });
    if (problem) ctx.addIssue({ code: "custom", path: ["replication"], message: problem });
  })
  .transform((c) => {
    const canonical = storeAdapter(c.store.kind).replication.canonical(c.replication);
    return { ...c, replication: "text" in canonical ? canonical.text : c.replication };
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
/** Store settings, resolved: the store's `kind` and its own fields. */
export type StoreConfig = StoreSettings;
/** A checker named in config.json. */
export type CheckerRef = z.output<typeof CheckerRefSchema>;
/** One of {@link NEMESES}. */
export type NemesisName = (typeof NEMESES)[number];

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
  store: StoreConfig;
};
