import { join } from "node:path";
import { replicationModeOf, type ResolvedRunConfig } from "../config/index.js";
import { runTagForThisProcess } from "../backends/local/index.js";
import { redisClient, withTimeout, type Client } from "../clients/index.js";
import { monotonicClock } from "../clock/index.js";
import { DisposalStack } from "../disposal/index.js";
import { FaultlineError, InputError } from "../errors/index.js";
import { openHistoryWriter } from "../history/index.js";
import { monitorAttached, startMonitor } from "../monitor/index.js";
import { createRandom } from "../random/index.js";
import { LEAVE_RUNNING_MARKER, reap } from "../reaper/index.js";
import { redisSentinelCluster, type StartedRedisCluster } from "../redis/index.js";
import { nodeBackendFor } from "./node-backend-for.js";
import { writeRunArtifacts } from "../results/index.js";
import { createRunDirectory, writeJsonFile, type RunDirectory } from "../run-store/index.js";
import { workloadByName } from "../../workloads/index.js";
import { clusterLayout, configRecord } from "./config-record.js";
import { runFinalPhase, type FinalPhaseOutcome } from "./final-phase.js";
import { runNemesis } from "./nemesis-loop.js";
import { healAtStart } from "./initial-heal.js";
import { scheduleNemesis, scheduleSteps } from "../../nemesis/execute/index.js";
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
}

/**
 * Runs one test end to end (DESIGN.md "Data flow"): removes what dead runs left behind, creates the run
 * directory and `config.json`, starts the Redis + Sentinel cluster with every link through the proxy, starts
 * the monitor, drives the workload on `concurrency` processes while the nemesis cycles its fault, heals and
 * waits for recovery, does the final reads, stops everything, then checks `history.jsonl` and writes
 * `results.json` and `report.html`. Everything started is on one disposal stack, so an error or an interrupt
 * at any point tears it all down.
 *
 * @example
 * const outcome = await runTest(resolveRunConfig({ flags: { nemesis: "partition-leader" }, freshSeed }), {
 *   stderr: process.stderr, signal: controller.signal, now: () => new Date() });
 * process.exitCode = outcome.exitCode;
 */
export async function runTest(config: ResolvedRunConfig, env: RunEnvironment): Promise<RunOutcome> {
  const workload = workloadByName(config.workload);
  if (!workload)
    throw new InputError("BAD_CONFIG", `unknown workload ${config.workload}`, {
      details: { field: "workload" },
    });
  const say = (text: string): void => void env.stderr.write(`faultline: ${text}\n`);

  const reaped = await reap();
  if (reaped.length > 0) {
    const runs = [...new Set(reaped.map((p) => p.runId))].join(", ");
    say(`removed ${reaped.length} process(es) left behind by dead run(s) ${runs}`);
  }
  const backend = await nodeBackendFor(config, say);
  // A plain Toxiproxy cannot express every fault: refused (exit 254) before anything starts.
  if (config.toxiproxyUrl !== undefined) {
    const server = await assertProxyServerFits(config.schedule, config.toxiproxyUrl);
    say(
      `using the ${server === "faultline" ? "faultline" : "plain Toxiproxy"} proxy server at ${config.toxiproxyUrl}`,
    );
  }

  const dir = createRunDirectory({ storeDir: config.storeDir, testName: config.testName, now: env.now() });
  env.onRunDirectory?.(dir);
  const tag = runTagForThisProcess(dir.runId, dir.path);
  const runMeta: Record<string, unknown> = {
    id: dir.runId,
    faultline: "0.1.0",
    startedAt: env.now().toISOString(),
    harnessPid: process.pid,
  };
  writeJsonFile(dir.files.config, configRecord(config, workload.checkers, runMeta));
  say(`run ${dir.path} (seed ${config.seed})`);

  const clock = monotonicClock();
  const random = createRandom(config.seed);
  const history = openHistoryWriter({ path: dir.files.history, clock });
  const tally = tallyHistory(history);
  const stack = new DisposalStack();
  stack.defer("history", () => history.close());
  const clientNames = Array.from({ length: config.concurrency }, (_, i) => `c${i + 1}`);
  let final: FinalPhaseOutcome | undefined;
  let leftRunning: Record<string, unknown> | undefined;

  try {
    say(
      `starting ${config.store.followers + 1} data nodes and ${config.store.failoverManagers} failover managers (network: ${config.network})…`,
    );
    const cluster: StartedRedisCluster = await redisSentinelCluster({
      runDir: dir.path,
      tag,
      store: config.store,
      clients: clientNames,
      network: config.network,
      keepProxyAfterHarness: config.leaveRunning,
      proxySeed: random.fork("proxy").seed,
      ...(backend ? { backend } : {}),
      ...(config.toxiproxyUrl !== undefined ? { proxyUrl: config.toxiproxyUrl } : {}),
    }).start();
    stack.defer("cluster", () => cluster.stop());
    // A proxy the run started itself may still be a plain Toxiproxy (the docker backend's default image): the
    // schedule is checked against it now, before any client or fault runs (exit 254 naming what cannot run).
    if (config.toxiproxyUrl === undefined && cluster.network.proxyServer === "toxiproxy") {
      assertFitsPerDestination(
        config.schedule,
        cluster.network.apiUrl!,
        "the proxy image is a plain Toxiproxy (the official one by default): use process faults, partition-leader " +
          "or client-link faults with it, or faultline's source-aware proxy image (--docker-images local, after " +
          "`faultline images build-local`) for the rest",
      );
      say("the proxy is a plain Toxiproxy: faults use per-destination proxies only");
    }
    runMeta.cluster = clusterLayout(cluster);
    runMeta.readyMs = cluster.readyMs;
    writeJsonFile(dir.files.config, configRecord(config, workload.checkers, runMeta));
    say(
      `cluster ready in ${cluster.readyMs} ms; running ${config.workload} for ${config.timeLimit / 1000} s with nemesis ${config.nemesis}`,
    );

    const monitor = startMonitor(cluster, history);
    stack.defer("monitor", () => monitor.stop());
    const makeClient = (name: string): Client =>
      withTimeout(
        redisClient({
          topology: {
            masterName: cluster.masterName,
            nodes: cluster.nodes,
            endpoints: cluster.clients.find((c) => c.name === name)!,
          },
          workload,
          commandTimeoutMs: config.opTimeout,
          replication: replicationModeOf(config),
        }),
        config.opTimeout + 250,
      );
    await healAtStart(cluster, history);
    say(`nemesis: ${describeSchedule(config.schedule).replaceAll("\n", "\n  ")}`);
    const nemesis = scheduleNemesis(config.schedule, {
      cluster,
      clients: clientNames,
      watched: async (node) => {
        const isManager = cluster.nodes.some((n) => n.name === node && n.role === "failover-manager");
        await monitorAttached(cluster.admin, node, { isManager });
      },
    });

    const startNs = clock.nowNs();
    const schedule = scheduleSteps(config.schedule, () => (clock.nowNs() - startNs) / 1e6);
    const limitNs = startNs + config.timeLimit * 1e6;
    const progress = startProgress({ tally, clock, startNs, limitMs: config.timeLimit, sink: env.stderr });
    stack.defer("progress", () => progress.stop());
    const [workers] = await Promise.all([
      runWorkers({
        workload,
        clientNames,
        makeClient,
        history,
        random: random.fork("workload"),
        rate: config.rate,
        shouldStop: () => clock.nowNs() >= limitNs,
        signal: env.signal,
      }),
      runNemesis({
        nemesis,
        schedule,
        history,
        remainingMs: () => (limitNs - clock.nowNs()) / 1e6,
        signal: env.signal,
      }),
    ]);
    progress.stop();

    if (!env.signal.aborted) {
      say(
        `time limit reached; healing every fault and waiting up to ${config.recoveryTimeout / 1000} s for a healthy leader…`,
      );
      final = await runFinalPhase({
        cluster,
        history,
        workload,
        makeClient,
        reader: workers[0] as WorkerState,
        concurrency: config.concurrency,
        recoveryTimeoutMs: config.recoveryTimeout,
        signal: env.signal,
      });
      if (final.error) say(`final phase: ${final.error}`);
    }
    await monitor.stop();
    if (config.leaveRunning && !env.signal.aborted) {
      const { pids } = cluster.release();
      leftRunning = { runId: dir.runId, pids, cluster: runMeta.cluster, proxy: cluster.network.apiUrl };
      writeJsonFile(join(dir.path, LEAVE_RUNNING_MARKER), leftRunning);
    }
  } catch (err) {
    if (env.signal.aborted) say(`interrupted while ${(err as Error).message}`);
    else {
      await stack.disposeAsync().catch((e: unknown) => say(`cleanup after the error failed: ${String(e)}`));
      throw err;
    }
  } finally {
    await stack.disposeAsync();
  }

  const interrupted = env.signal.aborted;
  let verdict: RunVerdict | undefined;
  try {
    const checked = await checkRunHistory(dir.files.history, workload.checkers);
    verdict = checked.verdict;
    // results.json, report.html and junit.xml (harness/results).
    writeRunArtifacts({
      runDir: dir.path,
      history: checked.history,
      results: { ...verdict, interrupted, final: final ?? null, seed: config.seed, runId: dir.runId },
      config: configRecord(config, workload.checkers, runMeta),
    });
  } catch (err) {
    if (!interrupted)
      throw new FaultlineError(
        "CHECK_FAILED",
        `checking ${dir.files.history} failed: ${(err as Error).message}`,
        { cause: err },
      );
  }
  if (leftRunning) {
    say(
      `cluster left running (${Object.keys(leftRunning.pids as object).length} processes); stop it with: faultline cleanup --run ${dir.runId}`,
    );
  }
  const exitCode = interrupted || !verdict ? 2 : exitCodeOf(verdict.valid);
  return { dir, verdict, interrupted, exitCode, final };
}
