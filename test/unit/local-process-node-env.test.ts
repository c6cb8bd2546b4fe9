/**
 * The local backend tags every process it spawns for a node with `FAULTLINE_NODE=<node>` (what the proxy's
 * socket-owner resolver reads), and no other process with one, even when the harness's own environment has it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalProcess, NODE_ENV_KEY, runTagForThisProcess } from "../../core/backends/local/index.js";
import { tempDir } from "./support/temp-dir.js";

async function envOf(node: string | undefined): Promise<string> {
  const dir = tempDir("faultline-node-env-");
  const outputFile = join(dir, "out.log");
  const p = await LocalProcess.start(
    {
      name: "probe",
      command: "sh",
      args: ["-c", 'echo "node=${FAULTLINE_NODE-none} run=$FAULTLINE_RUN_ID"'],
      cwd: dir,
      outputFile,
      ...(node !== undefined ? { node } : {}),
    },
    runTagForThisProcess("test/node-env", dir),
  );
  await p.exited;
  return readFileSync(outputFile, "utf8").trim();
}

describe("LocalProcess node tag", () => {
  it("should set FAULTLINE_NODE for a node's process next to the run tag", async () => {
    expect(NODE_ENV_KEY).toBe("FAULTLINE_NODE");
    expect(await envOf("pg1")).toBe("node=pg1 run=test/node-env");
  });

  it("should not pass an inherited FAULTLINE_NODE to a process of no node", async () => {
    const saved = process.env.FAULTLINE_NODE;
    process.env.FAULTLINE_NODE = "stray";
    try {
      expect(await envOf(undefined)).toBe("node=none run=test/node-env");
    } finally {
      if (saved === undefined) delete process.env.FAULTLINE_NODE;
      else process.env.FAULTLINE_NODE = saved;
    }
  });
});
