import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors/index.js";
import { durationMs, resolveRunConfig, RUN_FLAGS, flagAttribute } from "../../harness/config/index.js";
import { storeKinds } from "../../stores/index.js";

const seed = (): number => 42;

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).message;
  }
  throw new Error("expected an InputError");
}

describe("resolveRunConfig", () => {
  it("should fill every default and choose the seed when given nothing", () => {
    const c = resolveRunConfig({ freshSeed: seed });
    expect(c).toMatchObject({
      workload: "set",
      timeLimit: 20_000,
      concurrency: 5,
      rate: 100,
      opTimeout: 1000,
      seed: 42,
      nemesis: "none",
      testName: "set-none",
      network: "proxy",
      leaveRunning: false,
      store: {
        followers: 2,
        failoverManagers: 3,
        quorum: 2,
        minReplicasToWrite: 0,
        minReplicasMaxLag: 10,
        persistence: "aof-everysec",
        downAfter: 1000,
        failoverTimeout: 3000,
      },
    });
  });

  it("should let flags override the file and keep the file's other values", () => {
    const c = resolveRunConfig({
      file: { path: "c.yaml", data: { concurrency: 3, seed: 9, store: { followers: 4, downAfter: "2s" } } },
      flags: { concurrency: "7", minReplicasToWrite: "1", timeLimit: "1.5" },
      freshSeed: seed,
    });
    expect(c.concurrency).toBe(7);
    expect(c.seed).toBe(9);
    expect(c.timeLimit).toBe(1500);
    expect(c.store).toMatchObject({ followers: 4, downAfter: 2000, minReplicasToWrite: 1, quorum: 2 });
  });

  it("should accept its own config.json (replay), ignoring what faultline wrote under run", () => {
    const first = resolveRunConfig({ flags: { nemesis: "kill-leader" }, freshSeed: seed });
    const written = { ...first, checkers: [{ name: "set", options: {} }], run: { id: "x", cluster: {} } };
    expect(resolveRunConfig({ file: { path: "config.json", data: written }, freshSeed: () => 1 })).toEqual(
      first,
    );
  });

  it("should name the flag, not the field, when a flag is bad", () => {
    const msg = problems(() =>
      resolveRunConfig({ flags: { downAfter: "fast", concurrency: "0" }, freshSeed: seed }),
    );
    expect(msg).toContain('--down-after: must be a duration like 500ms, 30s or 2m, got "fast"');
    expect(msg).toContain("--concurrency: must be at least 1, got 0");
    expect(msg).toContain("(2 problems)");
  });

  it("should name the field and the file when the file is bad, including unknown fields", () => {
    const msg = problems(() =>
      resolveRunConfig({
        file: { path: "run.yaml", data: { nemesis: "chaos", store: { folowers: 2 } } },
        freshSeed: seed,
      }),
    );
    expect(msg).toContain('field "nemesis" in run.yaml: unknown fault "chaos"');
    expect(msg).toContain('field "store.folowers" in run.yaml: unknown field');
  });

  it("should reject combinations that cannot work, naming the field that breaks them", () => {
    expect(
      problems(() =>
        resolveRunConfig({ flags: { followers: "1", minReplicasToWrite: "2" }, freshSeed: seed }),
      ),
    ).toContain("--min-replicas-to-write: cannot exceed the number of followers (1)");
    expect(
      problems(() =>
        resolveRunConfig({ flags: { network: "direct", nemesis: "partition-leader" }, freshSeed: seed }),
      ),
    ).toContain("--nemesis: partition-leader cuts links in the proxy");
    expect(
      problems(() => resolveRunConfig({ flags: { failoverManagers: "3", quorum: "4" }, freshSeed: seed })),
    ).toContain("--quorum: cannot exceed the number of failover managers (3)");
  });

  it("should reject a file that is not an object", () => {
    expect(
      problems(() => resolveRunConfig({ file: { path: "a.json", data: [1, 2] }, freshSeed: seed })),
    ).toContain("a.json: must hold an object of settings, got an array");
  });
});

describe("RUN_FLAGS", () => {
  it("should map every flag to a field the schema knows (a store's own flag: with that store)", () => {
    for (const spec of RUN_FLAGS) {
      const value =
        spec.example ??
        (spec.kind === "boolean"
          ? true
          : spec.choices
            ? spec.choices[0]
            : spec.kind === "duration"
              ? "3s"
              : spec.kind === "string"
                ? "x"
                : "1");
      const problems = [undefined, ...storeKinds()].map((store) => {
        try {
          resolveRunConfig({
            flags: { ...(store ? { store } : {}), [flagAttribute(spec)]: value },
            freshSeed: seed,
          });
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      });
      expect(
        problems.some((p) => p === undefined),
        `${spec.flags}: ${problems.join(" / ")}`,
      ).toBe(true);
    }
  });
});

describe("durationMs", () => {
  it("should read units and bare seconds, and refuse anything else", () => {
    expect(durationMs("250ms")).toBe(250);
    expect(durationMs("2m")).toBe(120_000);
    expect(durationMs("1h")).toBe(3_600_000);
    expect(durationMs("0.5")).toBe(500);
    expect(durationMs("5 s")).toBeUndefined();
    expect(durationMs("-1s")).toBeUndefined();
  });
});
