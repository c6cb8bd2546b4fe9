/**
 * `startProxyProcess` hands the proxy child the seed it is given, so the run's seed (forked) drives the toxics'
 * draws and a replay replays them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { runTagForThisProcess } from "../../core/backends/local/index.js";
import { startProxyProcess } from "../../nemesis/network/index.js";
import { tempDir } from "./support/temp-dir.js";

const root = join(import.meta.dirname, "..", "..");

beforeAll(() => {
  // `npm test` builds first; a lone run of this file builds if dist/ is missing.
  if (!existsSync(join(root, "dist", "harness", "cli", "commands", "proxy.js"))) {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      { cwd: root },
    );
  }
}, 120_000);

/** The proxy's `listening` log line, parsed. */
function listeningLine(logFile: string): Record<string, unknown> {
  const line = readFileSync(logFile, "utf8")
    .split("\n")
    .find((l) => l.includes('"event":"listening"'));
  return JSON.parse(line ?? "{}") as Record<string, unknown>;
}

async function start(seed: number | undefined): Promise<Record<string, unknown>> {
  const dir = tempDir("faultline-proxy-process-");
  const logFile = join(dir, "proxy.log");
  const started = await startProxyProcess({
    tag: runTagForThisProcess("test/proxy-process", dir),
    logFile,
    cwd: dir,
    ...(seed !== undefined ? { seed } : {}),
  });
  onTestFinished(async () => {
    await started.process.kill();
  });
  return listeningLine(logFile);
}

describe("startProxyProcess", () => {
  it("should start the proxy with the seed it is given", async () => {
    expect(await start(3_141_592_653)).toMatchObject({ event: "listening", seed: 3_141_592_653 });
  });

  it("should let the proxy pick and log a seed when given none", async () => {
    const line = await start(undefined);
    expect(Number.isInteger(line.seed)).toBe(true);
  });
});
