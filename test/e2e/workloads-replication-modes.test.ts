import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "./support/spine-helpers.js";
import {
  clientOps,
  nemesisOkTime,
  quantile,
  runWorkload,
  type WorkloadRun,
} from "./support/workload-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

/**
 * The same schedule and seed for every mode: one partition of the leader (with two of the five clients) from
 * 2 s to 10 s of a 12 s run of the set workload.
 */
const SCHEDULE =
  "--workload set --nemesis partition-leader --time-limit 12s --nemesis-interval 2s --partition-duration 8s --seed 21";

/** What a mode's run shows about its adds. */
interface ModeFigures {
  mode: string;
  adds: number;
  /** Acknowledged adds missing from the final read. */
  lost: number;
  info: number;
  /** `info` adds missing from the final read: applied or not, they did not survive. */
  infoMissing: number;
  fail: number;
  /** Acknowledged adds' latency, ms. */
  p50: number;
  p99: number;
  /** From the partition's start to the last lost add's acknowledgement, ms (0 when nothing was lost). */
  lossWindowMs: number;
  run: WorkloadRun;
}

function figures(mode: string, run: WorkloadRun): ModeFigures {
  const ops = clientOps(run.ops);
  const adds = ops.filter((o) => o.f === "add");
  const finalRead = ops.filter((o) => o.f === "read" && o.type === "ok").at(-1)!;
  const present = new Set(finalRead.value as number[]);
  const set = run.results.results.set;
  const start = nemesisOkTime(run.ops, "start-partition-leader");
  const lat = adds.filter((o) => o.type === "ok").map((o) => (o.end - o.start) / 1e6);
  return {
    mode,
    adds: adds.length,
    lost: set.lostCount,
    info: adds.filter((o) => o.type === "info").length,
    infoMissing: adds.filter((o) => o.type === "info" && !present.has(o.value as number)).length,
    fail: adds.filter((o) => o.type === "fail").length,
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    lossWindowMs: Math.max(
      0,
      ...(set.lost as { ackedTime: number }[]).map((l) => (l.ackedTime - start) / 1e6),
    ),
    run,
  };
}

/** The side-by-side table for BENCHMARKS.md "Replication modes". */
function table(rows: ModeFigures[]): string {
  const head =
    "| --replication | adds | acknowledged and lost | info | info missing from the final read | fail | loss window after the partition began | ok add latency p50 / p99 |";
  const lines = rows.map(
    (r) =>
      `| \`${r.mode}\` | ${r.adds} | ${r.lost} | ${r.info} | ${r.infoMissing} | ${r.fail} | ` +
      `${r.lost === 0 ? "—" : `${(r.lossWindowMs / 1000).toFixed(2)} s`} | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} ms |`,
  );
  return [head, `|${"---|".repeat(8)}`, ...lines].join("\n");
}

describe("faultline run --replication under the same partition-leader schedule and seed", () => {
  it("should show async losing acknowledged writes, WAIT turning them into info, min-replicas bounding the window", async () => {
    const asyncRun = figures("async", await runWorkload("repl-async", `${SCHEDULE} --replication async`));
    const waitRun = figures(
      "wait:2:100",
      await runWorkload("repl-wait", `${SCHEDULE} --replication wait:2:100`),
    );
    const minRun = figures(
      "min-replicas:1:1",
      await runWorkload("repl-min", `${SCHEDULE} --replication min-replicas:1:1`),
    );
    const rows = [asyncRun, waitRun, minRun];
    const text = table(rows);
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    mkdirSync(join(ROOT, ".bench"), { recursive: true });
    writeFileSync(
      join(ROOT, ".bench", "replication-modes.md"),
      `${new Date().toISOString().slice(0, 10)} · ${machine} · load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" / ")}\n\n${text}\n`,
    );
    console.log(text);

    // Each run recorded its mode (config.json, the report's header) and applied it.
    expect(rows.map((r) => r.run.config.replication)).toEqual(["async", "wait:2:100", "min-replicas:1:1"]);
    for (const r of rows) expect(readFileSync(join(r.run.dir, "report.html"), "utf8")).toContain(r.mode);
    expect(minRun.run.config.store).toMatchObject({ minReplicasToWrite: 1, minReplicasMaxLag: 1 });

    // async: the isolated leader n1 acknowledged adds that the failover threw away.
    expect(asyncRun.run.r.code, asyncRun.run.r.stderr).toBe(1);
    expect(asyncRun.lost).toBeGreaterThan(0);
    const asyncAdds = clientOps(asyncRun.run.ops).filter((o) => o.f === "add");
    const asyncLost = new Set(
      (asyncRun.run.results.results.set.lost as { element: number }[]).map((l) => l.element),
    );
    expect(new Set(asyncAdds.filter((o) => asyncLost.has(o.value as number)).map((o) => o.node))).toEqual(
      new Set(["n1"]),
    );

    // wait:2:100: an add is acknowledged only once both followers have it, so the promoted one has it too: none is
    // lost. The adds n1 took as the cut came down were applied there (WAIT runs after the write) but reached no
    // follower: WAIT said so and they are info, never ok — and those n1 applied alone are gone after the
    // failover: WAIT reports the risk, it cannot rule the loss out. An add sent to n1 after the cut was in place
    // could not be acknowledged at all.
    expect(waitRun.lost).toBe(0);
    expect(waitRun.run.results.results.set.valid).toBe(true);
    const waitOps = clientOps(waitRun.run.ops);
    const waitFinal = new Set(
      waitOps.filter((o) => o.f === "read" && o.type === "ok").at(-1)!.value as number[],
    );
    const partitionInvoked = waitRun.run.ops.find((o) => o.f === "start-partition-leader")!.time as number;
    const cut = nemesisOkTime(waitRun.run.ops, "start-partition-leader");
    const shortfalls = waitOps.filter(
      (o) =>
        o.f === "add" &&
        o.node === "n1" &&
        o.type === "info" &&
        o.end > partitionInvoked &&
        /^WAIT 2 100: [01] of 2 followers acknowledged/.test(o.error ?? ""),
    );
    expect(shortfalls.length).toBeGreaterThan(0);
    // Too few acknowledgements is never a definite failure: no op failed with WAIT's answer.
    expect(waitOps.filter((o) => o.type === "fail" && /^WAIT /.test(o.error ?? ""))).toEqual([]);
    expect(shortfalls.filter((o) => !waitFinal.has(o.value as number)).length).toBeGreaterThan(0);
    expect(
      waitOps.filter((o) => o.f === "add" && o.node === "n1" && o.start > cut && o.type === "ok"),
    ).toEqual([]);
    // Adds the majority's new leader took during the partition had one follower to wait for, not two: info too,
    // and they survived.
    expect(waitRun.info - waitRun.infoMissing).toBeGreaterThan(0);

    // min-replicas:1:1: n1 refused writes with NOREPLICAS (fail) once its followers' acks were a second old, so
    // what it lost was acknowledged in the first seconds of the partition only (spec §1.4: about 1.4 s).
    const refusals = clientOps(minRun.run.ops).filter(
      (o) => o.type === "fail" && /^NOREPLICAS/.test(o.error ?? ""),
    );
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((o) => o.node))).toEqual(new Set(["n1"]));
    expect(minRun.lossWindowMs).toBeLessThan(3500);
    expect(minRun.lost).toBeLessThan(asyncRun.lost);
    expect(asyncRun.lossWindowMs).toBeGreaterThan(minRun.lossWindowMs);
  });
});
