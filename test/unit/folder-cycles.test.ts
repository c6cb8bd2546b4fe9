/**
 * The folder-cycle check behind `npm run deps:check`: cycles between the children of every folder, from the
 * module import graph, and the list of known cycles still allowed.
 */
import { describe, expect, it } from "vitest";
import {
  compareWithKnown,
  describeCycles,
  folderCycles,
  type ImportEdge,
} from "../../scripts/folder-cycles.js";

const e = (from: string, to: string): ImportEdge => ({ from, to });

describe("folderCycles", () => {
  it("should find no cycle when folders import each other one way only", () => {
    expect(
      folderCycles([
        e("harness/cli/program.ts", "harness/cli/commands/index.ts"),
        e("harness/cli/commands/run.ts", "harness/cli/set-exit-code.ts"),
        e("harness/config/schema.ts", "nemesis/schedule/index.ts"),
        e("nemesis/schedule/schema.ts", "core/duration/index.ts"),
      ]),
    ).toEqual([]);
  });

  it("should find a top-level cycle that no chain of modules shows when two different pairs of files import across", () => {
    const cycles = folderCycles([
      e("harness/config/schema.ts", "nemesis/schedule/index.ts"),
      e("nemesis/core/nemesis.ts", "harness/random/index.ts"),
    ]);
    expect(cycles).toEqual([
      {
        folder: ".",
        members: ["harness", "nemesis"],
        links: [
          {
            from: "harness",
            to: "nemesis",
            count: 1,
            examples: ["harness/config/schema.ts -> nemesis/schedule/index.ts"],
          },
          {
            from: "nemesis",
            to: "harness",
            count: 1,
            examples: ["nemesis/core/nemesis.ts -> harness/random/index.ts"],
          },
        ],
      },
    ]);
  });

  it("should find a cycle between a file and a sibling folder when a module cycle runs through them", () => {
    const cycles = folderCycles([
      e("harness/cli/program.ts", "harness/cli/commands/index.ts"),
      e("harness/cli/commands/index.ts", "harness/cli/commands/run.ts"),
      e("harness/cli/commands/run.ts", "harness/cli/program.ts"),
    ]);
    expect(cycles.map((c) => [c.folder, c.members])).toEqual([["harness/cli", ["commands", "program.ts"]]]);
  });

  it("should find a cycle between two files of one folder", () => {
    const cycles = folderCycles([
      e("checkers/core/a.ts", "checkers/core/b.ts"),
      e("checkers/core/b.ts", "checkers/core/a.ts"),
    ]);
    expect(cycles.map((c) => [c.folder, c.members])).toEqual([["checkers/core", ["a.ts", "b.ts"]]]);
  });

  it("should report each folder's cycle at its own level, with every member of a longer cycle", () => {
    const cycles = folderCycles([
      e("harness/redis/x.ts", "harness/backends/local/index.ts"),
      e("harness/backends/docker/y.ts", "harness/network/index.ts"),
      e("harness/network/z.ts", "harness/redis/index.ts"),
      e("harness/x.ts", "nemesis/y.ts"),
    ]);
    expect(cycles.map((c) => [c.folder, c.members])).toEqual([["harness", ["backends", "network", "redis"]]]);
  });

  it("should count every import of a link and keep at most three sorted examples", () => {
    const edges = ["d", "c", "b", "a"].map((f) => e(`x/${f}.ts`, "y/index.ts"));
    const [cycle] = folderCycles([...edges, e("y/index.ts", "x/a.ts")]);
    expect(cycle!.links[0]).toEqual({
      from: "x",
      to: "y",
      count: 4,
      examples: ["x/a.ts -> y/index.ts", "x/b.ts -> y/index.ts", "x/c.ts -> y/index.ts"],
    });
  });
});

describe("compareWithKnown", () => {
  const cycles = folderCycles([
    e("harness/redis/x.ts", "harness/backends/local/index.ts"),
    e("harness/backends/docker/y.ts", "harness/redis/index.ts"),
  ]);

  it("should allow a cycle whose members are all among a known entry's in the same folder", () => {
    const known = [{ folder: "harness", members: ["backends", "images", "redis"] }];
    expect(compareWithKnown(cycles, known)).toEqual({ fresh: [], stale: [] });
  });

  it("should report a cycle no known entry covers, and a known entry that covers no cycle", () => {
    const known = [
      { folder: "harness", members: ["backends"] },
      { folder: "checkers", members: ["core", "history"] },
    ];
    const { fresh, stale } = compareWithKnown(cycles, known);
    expect(fresh.map((c) => c.members)).toEqual([["backends", "redis"]]);
    expect(stale).toEqual(known);
  });
});

describe("describeCycles", () => {
  it("should name the folder, the members and example imports of each link", () => {
    const text = describeCycles(folderCycles([e("a/x.ts", "b/y.ts"), e("b/y.ts", "a/z.ts")]));
    expect(text).toBe(
      [
        "  in the top level: a ↔ b",
        "    a → b (1 import), e.g.",
        "      a/x.ts -> b/y.ts",
        "    b → a (1 import), e.g.",
        "      b/y.ts -> a/z.ts",
      ].join("\n"),
    );
  });
});
