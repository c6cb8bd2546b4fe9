import { describe, expect, it } from "vitest";
import { runCli } from "../../harness/cli/index.js";
import { workloadLines } from "../../harness/cli/commands/workload-lines.js";
import { WORKLOADS } from "../../harness/config/index.js";

describe("workloadLines", () => {
  it("should list every workload on one line, names in one column", () => {
    const lines = workloadLines();
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([...WORKLOADS]);
    const column = lines[0]!.search(/\s\S/) + 1;
    for (const l of lines) {
      expect(l).not.toContain("\n");
      expect(l[column - 1]).toBe(" ");
      expect(l[column]).not.toBe(" ");
    }
  });

  it("should be what `faultline workloads` prints", async () => {
    const chunks: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stdout.write;
    try {
      expect(await runCli(["workloads"])).toBe(0);
    } finally {
      process.stdout.write = orig;
    }
    expect(chunks.join("")).toBe(workloadLines().join("\n") + "\n");
  });
});
