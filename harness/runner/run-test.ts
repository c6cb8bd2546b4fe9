import { join } from "node:path";
import type { ResolvedRunConfig } from "../config/index.js";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import { withTimeout, type Client } from "../../core/clients/index.js";
import { monotonicClock, type Clock } from "../../core/clock/index.js";
import { DisposalStack } from "../../core/disposal/index.js";
import { FaultlineError, InputError } from "../../core/errors/index.js";
import { openHistoryWriter, type HistoryWriter } from "../../core/history/index.js";
import { createRandom } from "../../core/random/index.js";
import { LEAVE_RUNNING_MARKER, reap } from "../../core/backends/reaper/index.js";
import { nemesisWords, writeRunArtifacts } from "../results/index.js";
import { createRunDirectory, writeJsonFile, type RunDirectory } from "../../core/run-store/index.js";
import { workloadByName, type Workload } from "../../workloads/index.js";
import { storeAdapter, type StartedStore, type StoreAdapter } from "../../stores/index.js";
import { configRecord } from "./config-record.js";
import { runFinalPhase, type FinalPhaseOutcome } from "./final-phase.js";
import { runNemesis } from "./nemesis-loop.js";
import { healAtStart } from "./initial-heal.js";
import { scheduleNemesis, scheduleSteps } from "../../nemesis/execute/index.js";
import { recordSkippedFaults, reportFaults } from "./fault-report.js";
import { assertFitsPerDestination, assertProxyServerFits } from "../../nemesis/plan/index.js";
import { describeSchedule } from "../../nemesis/schedule/index.js";
import { startProgress, tallyHistory, type ProgressSink } from "./progress.js";
import { checkRunHistory, exitCodeOf, type RunVerdict } from "./verdict.js";
import { runWorkers, type WorkerState } from "./workers.js";

/** What a run needs from its surroundings (injected so tests and the CLI differ only here). */
export interface RunEnvironment {
  /** Progress and messages (stderr for the CLI). */
  stderr: ProgressSink;
  /** Aborts the run (SIGINT / SIGTERM): teardown, history kept, exit 2. */
  signal: AbortSignal;
  /** Wall clock, for the run directory's timestamp. */
  now: () => Date;
  /** Told the run directory as soon as it exists (the CLI's force-quit needs the run id). */
  onRunDirectory?: (dir: RunDirectory) => void;
  /** The store under test (default: the registry's adapter for `config.store.kind`). */
  store?: StoreAdapter<any>;
  /** The run's monotonic clock (default: the process's). */
  clock?: Clock;
  /** Removes what dead runs left behind before this one starts (default: the reaper's `reap`). */
  reap?: () => Promise<readonly { runId: string }[]>;
}

/** How a run ended. */
export interface RunOutcome {
  dir: RunDirectory;
  /** The verdict, when the history could be checked. */
  verdict: RunVerdict | undefined;
  interrupted: boolean;
  /** 0 valid, 1 invalid, 2 unknown or interrupted (DESIGN.md). */
  exitCode: number;
  final: FinalPhaseOutcome | undefined;
  /** What went wrong while tearing the cluster down, if anything (the verdict still stands). */
  teardownError?: string;
}

/** What the phases of one run share. */
interface RunContext {
  readonly config: ResolvedRunConfig;
  readonly env: RunEnvironment;
  readonly store: StoreAdapter<any>;
  readonly workload: Workload<any>;
  readonly dir: RunDirectory;
  readonly history: HistoryWriter;
  readonly clock: Clock;
  readonly clientNames: readonly string[];
  /** What `config.json` records under `run`. */
  readonly runMeta: Record<string, unknown>;
  say(text: string): void;
}

/**
 * Runs one test end to end (DESIGN.md "Data flow"), as named phases: {@link prepare} (remove what dead runs
 * left, create the run directory and `config.json`), {@link startStore} (the store's cluster with every link
 * through the proxy, and its monitor), {@link drive} (the workload on `concurrency` processes while the nemesis
 * runs its schedule), {@link finish} (heal, recovery, final reads), then teardown and {@link judge} (check
 * `history.jsonl`, write `results.json`, `report.html`, `junit.xml`). Everything started is on one disposal
 * stack, so an error or an interrupt at any point tears it all down; a teardown that fails is reported and the
 * verdict is still written.
 *
 * @example
 * const outcome = await runTest(resolveRunConfig({ flags: { nemesis: "partition-leader" }, freshSeed }), {
 *   stderr: process.stderr, signal: controller.signal, now: () => new Date() });
 * process.exitCode = outcome.exitCode;
 */
export async function runTest(config: ResolvedRunConfig, env: RunEnvironment): Promise<RunOutcome> {
  const ctx = await prepare(config, env);
  const stack = new DisposalStack();
  stack.defer("history", () => ctx.history.close());
  let final: FinalPhaseOutcome | undefined;
  let leftRunning: Record<string, unknown> | undefined;
  let teardownError: string | undefined;
  const teardown = async (): Promise<void> => {
    try {
      await stack.disposeAsync();
    } catch (err) {
      teardownError = (err as Error).message;
      ctx.say(`teardown failed: ${teardownError}`);
    }
  };
  try {
    const cluster = await startStore(ctx, stack);
    const workers = await drive(ctx, cluster, stack);
    reportFaults(ctx.history.ops, config, ctx.say);
    if (!env.signal.aborted) final = await finish(ctx, cluster, workers[0]!);
    if (config.leaveRunning && !env.signal.aborted) leftRunning = leaveRunning(ctx, cluster);
  } catch (err) {
    if (env.signal.aborted) ctx.say(`interrupted while ${(err as Error).message}`);
    else {
      await teardown();
      throw err;
    }
  } finally {
    await teardown();
  }
  const interrupted = env.signal.aborted;
  const verdict = await judge(ctx, { interrupted, final, teardownError });
  if (leftRunning) {
    ctx.say(
      `cluster left running (${Object.keys(leftRunning.pids as object).length} processes); stop it with: faultline cleanup --run ${ctx.dir.runId}`,
    );
  }
  const exitCode = interrupted || !verdict ? 2 : exitCodeOf(verdict.valid);
  return {
    dir: ctx.dir,
    verdict,
    interrupted,
    exitCode,
    final,
    ...(teardownError !== undefined ? { teardownError } : {}),
  };
}

/** Removes what dead runs left, creates the run directory and writes `config.json`. */
async function prepare(config: ResolvedRunConfig, env: RunEnvironment): Promise<RunContext> {
  const workload = workloadByName(config.workload);
  if (!workload)
    throw new InputError("BAD_CONFIG", `unknown workload ${config.workload}`, {
      details: { field: "workload" },
    });
  const store = env.store ?? storeAdapter(config.store.kind);
  const say = (text: string): void => void env.stderr.write(`faultline: ${text}\n`);
  const reaped = await (env.reap ?? reap)();
  if (reaped.length > 0) {
    const runs = [...new Set(reaped.map((p) => p.runId))].join(", ");
    say(`removed ${reaped.length} process(es) left behind by dead run(s) ${runs}`);
  }
  // A plain Toxiproxy cannot express every fault: refused (exit 254) before anything starts.
  if (config.toxiproxyUrl !== undefined) {
    const server = await assertProxyServerFits(config.schedule, config.toxiproxyUrl);
    say(
      `using the ${server === "faultline" ? "faultline" : "plain Toxiproxy"} proxy server at ${config.toxiproxyUrl}`,
    );
  }
  const dir = createRunDirectory({ storeDir: config.storeDir, testName: config.testName, now: env.now() });
  env.onRunDirectory?.(dir);
  const runMeta: Record<string, unknown> = {
    id: dir.runId,
    faultline: "0.1.0",
    startedAt: env.now().toISOString(),
    harnessPid: process.pid,
  };
  writeJsonFile(dir.files.config, configRecord(config, workload.checkers, runMeta));
  say(`run ${dir.path} (seed ${config.seed})`);
  const clock = env.clock ?? monotonicClock();
  return {
    config,
    env,
    store,
    workload,
    dir,
    clock,
    history: openHistoryWriter({ path: dir.files.history, clock }),
    clientNames: Array.from({ length: config.concurrency }, (_, i) => `c${i + 1}`),
    runMeta,
    say,
  };
}

/** Starts the store's cluster (every link through the proxy) and its monitor, and heals what an earlier run left. */
async function startStore(ctx: RunContext, stack: DisposalStack): Promise<StartedStore> {
  const { config, store, say } = ctx;
  say(`starting ${store.kind}: ${store.describe(config.store)} (network: ${config.network})…`);
  const cluster = await store
    .cluster({
      runDir: ctx.dir.path,
      tag: runTagForThisProcess(ctx.dir.runId, ctx.dir.path),
      settings: config.store,
      replication: config.replication,
      clients: ctx.clientNames,
      network: config.network,
      backend: config.backend,
      docker: config.docker,
      keepProxyAfterHarness: config.leaveRunning,
      proxyUrl: config.toxiproxyUrl,
      proxySeed: createRandom(config.seed).fork("proxy").seed,
      say,
    })
    .start();
  stack.defer("cluster", () => cluster.stop());
  // A proxy the run started itself may still be a plain Toxiproxy (the docker backend's default image): the
  // schedule is checked against it now, before any client or fault runs (exit 254 naming what cannot run).
  if (config.toxiproxyUrl === undefined && cluster.proxy?.server === "toxiproxy") {
    assertFitsPerDestination(
      config.schedule,
      cluster.proxy.apiUrl,
      "the proxy image is a plain Toxiproxy (the official one by default): use process faults, partition-leader " +
        "or client-link faults with it, or faultline's source-aware proxy image (--docker-images local, after " +
        "`faultline images build-local`) for the rest",
    );
    say("the proxy is a plain Toxiproxy: faults use per-destination proxies only");
  }
  ctx.runMeta.cluster = { store: store.kind, ...cluster.layout() };
  ctx.runMeta.readyMs = cluster.readyMs;
  writeJsonFile(ctx.dir.files.config, configRecord(config, ctx.workload.checkers, ctx.runMeta));
  say(
    `cluster ready in ${Math.round(cluster.readyMs)} ms; running ${config.workload} for ${config.timeLimit / 1000} s with nemesis ${nemesisWords(config)}`,
  );
  const monitor = cluster.startMonitor(ctx.history);
  stack.defer("monitor", () => monitor.stop());
  await healAtStart(cluster, ctx.history);
  return cluster;
}

/** A new client of the store for `name`, with the harness's deadline on every op. */
function clientMaker(ctx: RunContext, cluster: StartedStore): (name: string) => Client {
  const { config, workload } = ctx;
  return (name) =>
    withTimeout(cluster.client(name, { workload, opTimeoutMs: config.opTimeout }), config.opTimeout + 250);
}

/** The main phase: the workload on every client process while the nemesis runs its schedule. */
async function drive(ctx: RunContext, cluster: StartedStore, stack: DisposalStack): Promise<WorkerState[]> {
  const { config, env, history, clock } = ctx;
  ctx.say(`nemesis: ${describeSchedule(config.schedule).replaceAll("\n", "\n  ")}`);
  const nemesis = scheduleNemesis(config.schedule, {
    cluster,
    clients: ctx.clientNames,
    connects: ctx.store.connects,
    watched: (node) => cluster.monitorAttached(node),
  });
  const startNs = clock.nowNs();
  const limitNs = startNs + config.timeLimit * 1e6;
  const progress = startProgress({
    tally: tallyHistory(history, config.schedule.windows.length),
    clock,
    startNs,
    limitMs: config.timeLimit,
    sink: env.stderr,
  });
  stack.defer("progress", () => progress.stop());
  const [workers] = await Promise.all([
    runWorkers({
      workload: ctx.workload,
      clientNames: ctx.clientNames,
      makeClient: clientMaker(ctx, cluster),
      history,
      random: createRandom(config.seed).fork("workload"),
      rate: config.rate,
      shouldStop: () => clock.nowNs() >= limitNs,
      signal: env.signal,
    }),
    runNemesis({
      nemesis,
      schedule: scheduleSteps(config.schedule, () => (clock.nowNs() - startNs) / 1e6),
      history,
      remainingMs: () => (limitNs - clock.nowNs()) / 1e6,
      signal: env.signal,
    }),
  ]);
  // Every scheduled fault ends in the history: one whose start never came gets a `skip-<name>` event.
  recordSkippedFaults(history, config.schedule, env.signal.aborted);
  progress.stop();
  return workers;
}

/** The final phase: heal everything, wait for a healthy leader, read the final state. */
async function finish(
  ctx: RunContext,
  cluster: StartedStore,
  reader: WorkerState,
): Promise<FinalPhaseOutcome> {
  const { config } = ctx;
  ctx.say(
    `time limit reached; healing every fault and waiting up to ${config.recoveryTimeout / 1000} s for a healthy leader…`,
  );
  const final = await runFinalPhase({
    cluster,
    history: ctx.history,
    workload: ctx.workload,
    makeClient: clientMaker(ctx, cluster),
    reader,
    concurrency: config.concurrency,
    recoveryTimeoutMs: config.recoveryTimeout,
    signal: ctx.env.signal,
  });
  if (final.error) ctx.say(`final phase: ${final.error}`);
  return final;
}

/** `--leave-running`: lets the cluster outlive the harness and records how to stop it. */
function leaveRunning(ctx: RunContext, cluster: StartedStore): Record<string, unknown> {
  const { pids } = cluster.release();
  const left = {
    runId: ctx.dir.runId,
    pids,
    cluster: ctx.runMeta.cluster,
    proxy: cluster.proxy?.apiUrl,
  };
  writeJsonFile(join(ctx.dir.path, LEAVE_RUNNING_MARKER), left);
  return left;
}

/** Checks `history.jsonl` and writes `results.json`, `report.html` and `junit.xml`. */
async function judge(
  ctx: RunContext,
  o: { interrupted: boolean; final: FinalPhaseOutcome | undefined; teardownError: string | undefined },
): Promise<RunVerdict | undefined> {
  const { config, dir, workload } = ctx;
  try {
    const checked = await checkRunHistory(
      dir.files.history,
      workload.checkers,
      { interrupted: o.interrupted, final: o.final ?? null, requireFaults: config.requireFaults },
      config.schedule,
    );
    writeRunArtifacts({
      runDir: dir.path,
      history: checked.history,
      results: {
        ...checked.verdict,
        interrupted: o.interrupted,
        final: o.final ?? null,
        seed: config.seed,
        runId: dir.runId,
        requireFaults: config.requireFaults,
        ...(o.teardownError !== undefined ? { teardownError: o.teardownError } : {}),
      },
      config: configRecord(config, workload.checkers, ctx.runMeta),
    });
    return checked.verdict;
  } catch (err) {
    if (!o.interrupted)
      throw new FaultlineError(
        "CHECK_FAILED",
        `checking ${dir.files.history} failed: ${(err as Error).message}`,
        { cause: err },
      );
    return undefined;
  }
}
