/**
 * The `faultline` binary's entry point as a process: a promise that rejects with no handler (as a library's
 * internal command can) is reported as a warning and the command still ends with its own exit code, instead of
 * Node's exit code 1 (which would read as an invalid verdict) before any teardown.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const mainJs = join(root, "dist", "harness", "cli", "main.js");

beforeAll(() => {
  // `npm test` builds first; a lone run of this file builds if dist/ is missing.
  if (!existsSync(mainJs)) {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: root,
      },
    );
  }
}, 120_000);

describe("faultline main()", () => {
  it("should report an unhandled rejection as a warning and keep the command's exit code", () => {
    // `faultline workloads` (exit 0) runs while a rejection nobody handles happens beside it.
    const script =
      `const { main } = await import(${JSON.stringify(new URL(`file://${mainJs}`).href)});` +
      `setTimeout(() => void Promise.reject(new Error("Connection is closed.")), 0);` +
      `process.argv = [process.argv[0], "faultline", "workloads"];` +
      `await main(); await new Promise((r) => setTimeout(r, 50));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stderr).toContain(
      "faultline: warning: internal error ignored (a promise rejected unhandled): Connection is closed.",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("register");
  });

  it("should exit 255 (a crash), not Node's 1 (which reads as invalid), on an exception nothing caught", () => {
    const script =
      `const { main } = await import(${JSON.stringify(new URL(`file://${mainJs}`).href)});` +
      `setTimeout(() => { throw new Error("boom in a callback"); }, 0);` +
      `process.argv = [process.argv[0], "faultline", "serve", "--port", "0", "--store-dir", ${JSON.stringify(root)}];` +
      `await main();`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).toContain("faultline: internal error: boom in a callback");
    expect(r.status, r.stderr).toBe(255);
  });
});
