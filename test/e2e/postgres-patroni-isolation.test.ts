import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  expectNothingLeft,
  flags,
  historyOps,
  readJson,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 300_000);

// list-append transactions (appends and reads of a few rows) from 10 clients at full speed, no faults: the same
// seed at two isolation levels. PostgreSQL's repeatable read is snapshot isolation, which allows write skew
// (G2-item); serializable (SSI) aborts one transaction of each such pair instead (a `fail`, 40001).
const RUN =
  "run --store postgres-patroni --workload list-append --time-limit 15s --concurrency 10 --rate 0 --seed 3";

describe("faultline run --store postgres-patroni --workload list-append", () => {
  it("should find G2-item (write skew) under --isolation repeatable-read", async () => {
    const store = tempStore("pg-rr");
    const r = await runFaultline([...flags(RUN), "--isolation", "repeatable-read", "--store-dir", store], {
      timeoutMs: 300_000,
    });
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(1);
    const la = readJson(join(dir, "results.json")).results["list-append"];
    expect(la.valid).toBe(false);
    expect(la.anomalyTypes).toContain("G2-item");
    expect(readJson(join(dir, "config.json")).store.isolation).toBe("repeatable-read");
    await expectNothingLeft(dir);
  }, 360_000);

  it("should be valid under --isolation serializable with the same seed, serialization failures recorded as fail", async () => {
    const store = tempStore("pg-serializable");
    const r = await runFaultline([...flags(RUN), "--isolation", "serializable", "--store-dir", store], {
      timeoutMs: 300_000,
    });
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(0);
    const la = readJson(join(dir, "results.json")).results["list-append"];
    expect(la.valid).toBe(true);
    expect(la.anomalyTypes).toEqual([]);
    const fails = historyOps(dir).filter((o) => typeof o.process === "number" && o.type === "fail");
    expect(fails.some((o) => /40001|serializ/i.test(String(o.error)))).toBe(true);
    await expectNothingLeft(dir);
  }, 360_000);
});
