/**
 * The run configuration's choices and defaults as plain data, free of the schema library, so that the CLI can
 * show them in `--help` without loading it (every `faultline` process — the proxy child of each run included —
 * registers every command). The schema (`schema.ts`) takes its defaults from here.
 */

/**
 * The spine's faults, which `--nemesis` alone still cycles with the spine's timing. `--nemesis` also takes fault
 * families and the other named faults (`nemesis/schedule`'s catalogue), mixed by a seeded schedule.
 */
export const NEMESES = ["none", "kill-leader", "partition-leader"] as const;
/** How partitions cut links: hold the bytes (dropped packets) or reset the connections. */
export const CUTS = ["blackhole", "refuse"] as const;
/** The workloads a run can drive (`workloads/registry.ts` has one entry per name; a unit test keeps them equal). */
export const WORKLOADS = ["set", "register", "list-append", "counter", "follower-reads"] as const;
/** How links are carried: through faultline's proxy, or straight to the nodes. */
export const NETWORKS = ["proxy", "direct"] as const;
/** Where the nodes run: local processes, or Docker containers (`core/backends/docker`). */
export const BACKENDS = ["local", "docker"] as const;
/** Which images the docker backend runs: official ones (pulled by the user), or `faultline images build-local`'s. */
export const DOCKER_IMAGE_SOURCES = ["official", "local"] as const;

/** Every default of a run (durations in ms). */
export const RUN_DEFAULTS = {
  workload: "set",
  timeLimit: 20_000,
  concurrency: 5,
  rate: 100,
  opTimeout: 1000,
  nemesis: "none",
  /** How writes are replicated: every store's default, asynchronous (each store reads its own modes). */
  replication: "async",
  nemesisInterval: 3000,
  /** Partitions hold the bytes of cut links, as dropped packets do. */
  cut: "blackhole",
  restartDelay: 4000,
  partitionDuration: 6000,
  recoveryTimeout: 30_000,
  storeDir: "store",
  leaveRunning: false,
  /** A scheduled fault that did not run (failed to apply, or skipped) is a warning, not exit 2. */
  requireFaults: false,
  network: "proxy",
  backend: "local",
  docker: { images: "official" },
} as const;
