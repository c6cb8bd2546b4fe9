import { describe, expect, it } from "vitest";
import { runCli } from "../../harness/cli/index.js";
import { resolveRunConfig } from "../../harness/config/index.js";
import { InputError } from "../../core/errors/index.js";
import {
  formatReplicationMode,
  parseReplicationMode,
  reconcileReplication,
} from "../../stores/redis-sentinel/index.js";

const seed = (): number => 42;

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).userError).toBe(true);
    return (err as InputError).message;
  }
  throw new Error("expected an InputError");
}

describe("parseReplicationMode", () => {
  it("should parse the three modes and print them back canonically", () => {
    for (const [text, mode] of [
      ["async", { kind: "async" }],
      ["wait:2:100", { kind: "wait", replicas: 2, timeoutMs: 100 }],
      ["min-replicas:1:1", { kind: "min-replicas", replicas: 1, maxLagSeconds: 1 }],
      [" wait:1:05 ", { kind: "wait", replicas: 1, timeoutMs: 5 }],
    ] as const) {
      expect(parseReplicationMode(text)).toEqual({ mode });
      expect(formatReplicationMode(mode)).toBe(text.trim().replace(":05", ":5"));
    }
  });

  it("should say what is wrong with malformed modes", () => {
    expect(parseReplicationMode("sync")).toEqual({
      error: 'must be async | wait:N:MS | min-replicas:N:LAG, got "sync"',
    });
    expect(parseReplicationMode("async:1")).toEqual({ error: "async takes no arguments" });
    expect(parseReplicationMode("wait:2")).toEqual({
      error: "wait needs N and MS: wait:N:MS, e.g. wait:1:100",
    });
    expect(parseReplicationMode("wait:0:100")).toEqual({
      error: 'wait: N (followers) must be an integer from 1 to 8, got "0"',
    });
    expect(parseReplicationMode("wait:1:0")).toEqual({
      error: 'wait: MS must be an integer from 1 to 600000 (ms), got "0"',
    });
    expect(parseReplicationMode("wait:1:1s")).toHaveProperty("error");
    expect(parseReplicationMode("min-replicas:1:-1")).toEqual({
      error: 'min-replicas: LAG must be an integer from 1 to 3600 (seconds), got "-1"',
    });
  });
});

describe("reconcileReplication", () => {
  it("should set min-replicas-* from a min-replicas mode and name the mode the older flags give", () => {
    expect(
      reconcileReplication("min-replicas:2:3", { minReplicasToWrite: 0, minReplicasMaxLag: 10 }),
    ).toEqual({
      replication: "min-replicas:2:3",
      minReplicasToWrite: 2,
      minReplicasMaxLag: 3,
    });
    expect(reconcileReplication("async", { minReplicasToWrite: 1, minReplicasMaxLag: 1 })).toEqual({
      replication: "min-replicas:1:1",
      minReplicasToWrite: 1,
      minReplicasMaxLag: 1,
    });
    expect(reconcileReplication("wait:1:50", { minReplicasToWrite: 0, minReplicasMaxLag: 10 })).toEqual({
      replication: "wait:1:50",
      minReplicasToWrite: 0,
      minReplicasMaxLag: 10,
    });
  });
});

describe("resolveRunConfig", () => {
  it("should default to async and carry a wait mode as its canonical text", () => {
    expect(resolveRunConfig({ freshSeed: seed }).replication).toBe("async");
    const c = resolveRunConfig({ flags: { replication: "wait:2:0100" }, freshSeed: seed });
    expect(c.replication).toBe("wait:2:100");
    expect(c.store.minReplicasToWrite).toBe(0);
  });

  it("should turn min-replicas:N:LAG into the store's min-replicas settings, and replay from config.json", () => {
    const c = resolveRunConfig({ flags: { replication: "min-replicas:1:1" }, freshSeed: seed });
    expect(c.replication).toBe("min-replicas:1:1");
    expect(c.store).toMatchObject({ minReplicasToWrite: 1, minReplicasMaxLag: 1 });
    const replayed = resolveRunConfig({
      file: { path: "config.json", data: { ...c, checkers: [], run: { id: "x" } } },
      freshSeed: () => 1,
    });
    expect(replayed).toEqual(c);
  });

  it("should name --replication when the mode is malformed", () => {
    const msg = problems(() => resolveRunConfig({ flags: { replication: "wait:two:100" }, freshSeed: seed }));
    expect(msg).toContain('--replication: wait: N (followers) must be an integer from 1 to 8, got "two"');
  });

  it("should name the field and file when a config file's mode is malformed", () => {
    const msg = problems(() =>
      resolveRunConfig({ file: { path: "r.yaml", data: { replication: "eventually" } }, freshSeed: seed }),
    );
    expect(msg).toContain('field "replication" in r.yaml: must be async');
  });

  it("should refuse modes the cluster or the op timeout cannot honour, naming --replication", () => {
    expect(
      problems(() => resolveRunConfig({ flags: { replication: "wait:3:100" }, freshSeed: seed })),
    ).toContain("--replication: wait:3:100 needs 3 followers but the cluster has 2");
    expect(
      problems(() =>
        resolveRunConfig({ flags: { replication: "wait:1:1000", opTimeout: "1s" }, freshSeed: seed }),
      ),
    ).toContain("--replication: WAIT's timeout (1000 ms) must be shorter than the op timeout (1000 ms)");
    expect(
      problems(() =>
        resolveRunConfig({ flags: { replication: "wait:1:100", minReplicasToWrite: "1" }, freshSeed: seed }),
      ),
    ).toContain("cannot be combined with min-replicas-to-write 1");
    expect(
      problems(() =>
        resolveRunConfig({
          flags: { replication: "min-replicas:1:1", minReplicasToWrite: "2" },
          freshSeed: seed,
        }),
      ),
    ).toContain("--replication: min-replicas:1:1 contradicts min-replicas-to-write 2");
  });
});

describe("runCli", () => {
  it("should exit 254 naming --replication when faultline run gets a bad mode", async () => {
    const chunks: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(["run", "--replication", "wait:1"])).toBe(254);
    } finally {
      process.stderr.write = orig;
    }
    expect(chunks.join("")).toContain("--replication: wait needs N and MS");
  });
});
