/**
 * The linearizability checker's worker threads from the compiled code (dist/, as `faultline check` and the package
 * run it): the threads load `dist/checkers/linearizable/worker.js`, give the same result as one thread, and are all
 * gone when the check returns and the process ends; and `faultline check --workers`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { corpusDir } from "../conformance/corpus.js";

const root = join(import.meta.dirname, "..", "..");
const dist = join(root, "dist", "checkers");
const bin = join(root, "bin", "faultline.js");

beforeAll(() => {
  // `npm test` builds first; a lone run of this file builds if dist/ has no worker module.
  if (!existsSync(join(dist, "linearizable", "worker.js"))) {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      { cwd: root },
    );
  }
}, 180_000);

describe("linearizable worker threads from dist/", () => {
  it("should check porcupine's kv files on two threads from the compiled worker, as one thread does", () => {
    const url = (path: string): string => JSON.stringify(pathToFileURL(path).href);
    const script = `
      import { readFileSync } from "node:fs";
      const { parseHistory } = await import(${url(join(dist, "history", "index.js"))});
      const { checkLinearizable } = await import(${url(join(dist, "linearizable", "index.js"))});
      const { liveWorkerThreads, workerThreadsExited } = await import(${url(join(dist, "linearizable", "parallel.js"))});
      const out = [];
      for (const file of ["kv_c10-ok.jsonl", "kv_c10-bad.jsonl"]) {
        const { history } = parseHistory(readFileSync(${JSON.stringify(corpusDir)} + "/" + file, "utf8"));
        const { workers, ...there } = checkLinearizable(history, { model: "kv", workers: 2, workerRound: 0 });
        const here = checkLinearizable(history, { model: "kv", workers: 1 });
        // How many keys a thread leaves open depends on when it sees the other's find: not compared.
        out.push({ file, threads: workers?.threads, same: JSON.stringify(there) === JSON.stringify(here), valid: there.valid });
      }
      await workerThreadsExited();
      out.push({ live: liveWorkerThreads() });
      process.stdout.write(JSON.stringify(out));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { file: "kv_c10-ok.jsonl", threads: 2, same: true, valid: true },
      { file: "kv_c10-bad.jsonl", threads: 2, same: true, valid: false },
      { live: 0 },
    ]);
  }, 120_000);

  it("should take --workers on faultline check, and name a bad one", () => {
    const file = join(corpusDir, "kv_c10-bad.jsonl");
    const one = spawnSync(process.execPath, [bin, "check", file, "--model", "kv", "--workers", "1"], {
      encoding: "utf8",
    });
    expect(one.status).toBe(1);
    expect(one.stdout).toContain("INVALID");
    const bad = spawnSync(process.execPath, [bin, "check", file, "--model", "kv", "--workers", "0"], {
      encoding: "utf8",
    });
    expect(bad.status).toBe(254);
    expect(bad.stderr).toContain('--workers must be a whole number ≥ 1, got "0"');
  }, 120_000);
});
