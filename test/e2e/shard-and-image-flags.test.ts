/** Bad values of this stop's new flags exit 254 naming the flag, before anything runs. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runFaultline, tempStore } from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 180_000);

describe("new flags, bad values", () => {
  it("should refuse --shard with --resume, and a malformed --shard, with exit 254 naming the flag", async () => {
    const store = tempStore("shard-flags");
    const file = join(store, "c.yaml");
    writeFileSync(file, "name: c\nmatrix: { store: [simulated], nemesis: [none] }\n");
    const both = await runFaultline(["campaign", file, "--shard", "1/2", "--resume", store]);
    expect(both.code).toBe(254);
    expect(both.stderr).toContain("--shard and --resume go apart");
    const bad = await runFaultline(["campaign", file, "--shard", "3/2", "--dry-run"]);
    expect(bad.code).toBe(254);
    expect(bad.stderr).toContain("--shard must be I/N");
  });

  it("should refuse images build-local --store of an unknown store with exit 254 naming it", async () => {
    const r = await runFaultline(["images", "build-local", "--store", "nope"]);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain('--store: no store with a docker image is called "nope"');
  });
});
