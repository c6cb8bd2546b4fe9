import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveRunConfig } from "../../harness/config/index.js";
import { runTest, type RunEnvironment } from "../../harness/runner/index.js";
import { simulatedStore } from "../../stores/simulated/index.js";
import type { StoreAdapter } from "../../stores/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A 3 s set run on the simulated store with one partition of the leader, 0.8–2.3 s (c1 stays with it). */
function partitionLeaderConfig(replication = "async") {
  const storeDir = mkdtempSync(join(tmpdir(), "faultline-run-sim-"));
  dirs.push(storeDir);
  return resolveRunConfig({
    file: { path: "test.json", data: { store: { kind: "simulated" }, replication } },
    flags: {
      workload: "set",
      nemesis: "partition-leader",
      timeLimit: "3s",
      nemesisInterval: "800ms",
      partitionDuration: "1500ms",
      concurrency: "3",
      rate: "200",
      opTimeout: "300ms",
      recoveryTimeout: "5s",
      storeDir,
    },
    freshSeed: () => 7,
  });
}

function env(store?: StoreAdapter<any>): RunEnvironment & { err: string[] } {
  const err: string[] = [];
  return {
    err,
    stderr: { write: (t: string) => err.push(t) },
    signal: new AbortController().signal,
    now: () => new Date(),
    reap: () => Promise.resolve([]),
    ...(store ? { store } : {}),
  };
}

interface HistoryOp {
  process: number | string;
  type: string;
  f: string;
  value: unknown;
  node?: string;
}

function readHistory(path: string): HistoryOp[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as HistoryOp);
}

describe("runTest", () => {
  it("should give an invalid verdict naming the lost writes when a partitioned leader acknowledges writes under async replication", async () => {
    const config = partitionLeaderConfig();
    expect(config.schedule?.windows.map((w) => w.fault)).toEqual(["partition"]);
    const e = env();
    const outcome = await runTest(config, e);

    expect(outcome.exitCode).toBe(1);
    expect(outcome.verdict?.valid).toBe(false);
    expect(outcome.final?.readsDone).toBe(true);
    const results = JSON.parse(readFileSync(join(outcome.dir.path, "results.json"), "utf8")) as {
      valid: unknown;
      results: { set: { valid: unknown; lostCount: number; lost: { element: number }[] } };
    };
    expect(results.valid).toBe(false);
    expect(results.results.set.valid).toBe(false);
    const lost = results.results.set.lost.map((l) => l.element);
    expect(lost.length).toBeGreaterThan(0);
    expect(results.results.set.lostCount).toBe(lost.length);

    // Every lost element was acknowledged by the leader that was partitioned off, and is absent from the final read.
    const history = readHistory(outcome.dir.path + "/history.jsonl");
    const partition = history.find(
      (o) => o.process === "nemesis" && o.type === "ok" && o.f.startsWith("start-"),
    );
    const oldLeader = (partition?.value as { leader?: string } | undefined)?.leader;
    expect(oldLeader).toBe("n1");
    const ackedBy = new Map<number, string | undefined>();
    for (const o of history) if (o.f === "add" && o.type === "ok") ackedBy.set(o.value as number, o.node);
    for (const element of lost) expect(ackedBy.get(element)).toBe(oldLeader);
    const finalRead = history.filter((o) => o.f === "read" && o.type === "ok").at(-1)!.value as number[];
    for (const element of lost) expect(finalRead).not.toContain(element);
    // The managers failed over to a follower, and the old leader was demoted once it could reach them again.
    const events = history
      .filter((o) => o.f === "manager-event")
      .map((o) => (o.value as { kind: string }).kind);
    expect(events).toContain("leader-switch");
    expect(events).toContain("demoted");
    expect(existsSync(join(outcome.dir.path, "report.html"))).toBe(true);
  }, 30_000);

  it("should lose no acknowledged write under the same partition when replication is sync", async () => {
    const outcome = await runTest(partitionLeaderConfig("sync"), env());

    // The set checker judges acknowledged writes against the final read. (set-full may still flag an element a
    // read saw on the leader before its write was acknowledged: the leader shows a write while it waits for its
    // followers, as PostgreSQL's synchronous commit does.)
    expect(outcome.final?.readsDone).toBe(true);
    const results = JSON.parse(readFileSync(join(outcome.dir.path, "results.json"), "utf8")) as {
      results: { set: { valid: unknown; lostCount?: number } };
    };
    expect(results.results.set.valid).toBe(true);
    expect(results.results.set.lostCount ?? 0).toBe(0);
    // The partitioned leader's writes were not acknowledged: they ended info, waiting for its followers.
    const history = readHistory(join(outcome.dir.path, "history.jsonl"));
    const unacked = history.filter(
      (o) => o.f === "add" && o.type === "info" && /^sync: /.test(String((o as { error?: string }).error)),
    );
    expect(unacked.length).toBeGreaterThan(0);
  }, 30_000);

  it("should still write results.json and the report, with the teardown error, when stopping the cluster throws", async () => {
    const failingStop: StoreAdapter<any> = {
      ...simulatedStore,
      cluster: (request) => ({
        store: "simulated",
        async start() {
          const started = await simulatedStore.cluster(request).start();
          return {
            ...started,
            async stop() {
              await started.stop();
              throw new Error("the cluster would not stop (injected)");
            },
          };
        },
      }),
    };
    const config = partitionLeaderConfig();
    const outcome = await runTest(config, env(failingStop));

    expect(outcome.teardownError).toContain("the cluster would not stop (injected)");
    expect(outcome.verdict?.valid).toBe(false);
    expect(outcome.exitCode).toBe(1);
    const results = JSON.parse(readFileSync(join(outcome.dir.path, "results.json"), "utf8")) as {
      valid: unknown;
      teardownError?: string;
    };
    expect(results.valid).toBe(false);
    expect(results.teardownError).toContain("the cluster would not stop (injected)");
    expect(existsSync(join(outcome.dir.path, "report.html"))).toBe(true);
  }, 30_000);
});
