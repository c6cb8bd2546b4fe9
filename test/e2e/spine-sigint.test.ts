import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readHistory } from "../../checkers/history/index.js";
import {
  ensureBuilt,
  expectNothingLeft,
  finish,
  flags,
  historyOps,
  runDirOf,
  runFaultline,
  startFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("faultline run interrupted by SIGINT", () => {
  it("should tear everything down, keep a readable history, and let faultline check judge it", async () => {
    const store = tempStore("sigint");
    const child = startFaultline([
      ...flags(
        "run --nemesis partition-leader --time-limit 60s --nemesis-interval 2s --partition-duration 20s",
      ),
      "--store-dir",
      store,
    ]);
    // Wait until the run is in the middle of things: the partition is on and clients are writing.
    const deadline = Date.now() + 60_000;
    let dir: string | undefined;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`the run never got going:\n${child.out.stderr}`);
      if (child.exitCode !== null) throw new Error(`the run ended early:\n${child.out.stderr}`);
      if (!dir && existsSync(join(store, "latest"))) dir = runDirOf(store);
      const ops = dir && existsSync(join(dir, "history.jsonl")) ? historyOps(dir) : [];
      const partitioned = ops.some((o) => o.f === "start-partition-leader" && o.type === "ok");
      if (partitioned && ops.filter((o) => typeof o.process === "number").length > 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const sentAt = Date.now();
    child.kill("SIGINT");
    const r = await finish(child, 60_000);
    const tookMs = Date.now() - sentAt;

    expect(r.code, r.stderr).toBe(2);
    expect(tookMs).toBeLessThan(20_000);
    expect(r.stderr).toContain("SIGINT: stopping the run");
    expect(r.stdout).toContain("interrupted: the history is kept; check it with: faultline check");
    await expectNothingLeft(dir!);

    // The history on disk parses and validates (every line, pairs, retirements).
    const parsed = await readHistory(join(dir!, "history.jsonl"));
    expect(parsed.history.length).toBeGreaterThan(200);
    expect(parsed.truncated).toBeUndefined();

    // `faultline check` gives a verdict on it (no final read was made, so the set checker cannot decide:
    // whatever it says, it must be one of the three verdicts, not a crash or a bad-input error).
    const check = await runFaultline(["check", dir!]);
    expect([0, 1, 2], check.stderr).toContain(check.code);
    expect(check.stdout + check.stderr).toMatch(/valid|invalid|unknown/i);
  });
});
