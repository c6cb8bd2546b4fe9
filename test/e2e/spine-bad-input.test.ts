import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, flags, runFaultline, tempStore } from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

/** Runs `faultline run <args>` against a fresh store and checks it was refused before anything started. */
async function refused(args: string[]): Promise<string> {
  const store = tempStore("bad");
  const r = await runFaultline(["run", ...args, "--store-dir", store], { timeoutMs: 30_000 });
  expect(r.code, r.stdout + r.stderr).toBe(254);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(existsSync(store) ? readdirSync(store) : []).toEqual([]); // no run directory
  return r.stderr;
}

describe("faultline run with bad input", () => {
  it("should exit 254 naming a malformed flag value", async () => {
    const err = await refused(flags("--concurrency zero"));
    expect(err).toContain('--concurrency: must be an integer, got "zero"');
  });

  it("should name every bad flag at once", async () => {
    const err = await refused(flags("--time-limit soon --nemesis explode --rate -5"));
    expect(err).toContain("--time-limit: must be a duration");
    expect(err).toContain('--nemesis: unknown fault "explode"');
    expect(err).toContain("--rate");
  });

  it("should name a flag whose value breaks a rule across fields", async () => {
    expect(await refused(flags("--min-replicas-to-write 3"))).toContain(
      "--min-replicas-to-write: cannot exceed the number of followers (2)",
    );
    expect(await refused(flags("--network direct --nemesis partition-leader"))).toContain(
      "--nemesis: partition-leader cuts links in the proxy",
    );
    expect(await refused(flags("--failover-timeout 1s"))).toContain(
      "--failover-timeout: must be between 2000 ms",
    );
  });

  it("should name the field and the file for a bad config file", async () => {
    const dir = tempStore("bad-config");
    const file = join(dir, "run.yaml");
    writeFileSync(file, "concurency: 5\nstore:\n  downAfter: fast\n  persistence: aof\n");
    const err = await refused(["--config", file]);
    expect(err).toContain(`field "concurency" in ${file}: unknown field`);
    expect(err).toContain(`field "store.downAfter" in ${file}: must be a duration`);
    expect(err).toContain(`field "store.persistence" in ${file}`);
  });

  it("should let a flag override a config file and name a missing file", async () => {
    const dir = tempStore("bad-config2");
    const file = join(dir, "run.json");
    writeFileSync(file, JSON.stringify({ concurrency: 0 }));
    expect(await refused(["--config", file])).toContain(`field "concurrency" in ${file}`);
    expect(await refused(["--config", join(dir, "nope.json")])).toContain(
      "--config: no such file or directory",
    );
  });

  it("should exit 254 for an unknown flag", async () => {
    expect(await refused(flags("--concurrrency 5"))).toContain("--concurrrency");
  });
});
