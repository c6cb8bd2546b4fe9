/**
 * Every path a user gives faultline is checked before use: a store under /proc, /sys or /dev, below a file or on a
 * device is refused with exit 254 naming it, at once, instead of a hang (Node's recursive mkdirSync under /proc
 * loops forever, deaf to signals) or a crash (exit 255).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCampaign } from "../../harness/campaign/index.js";
import { loadConfigFile } from "../../harness/config/index.js";
import { loadProxyConfig } from "../../nemesis/proxy/index.js";
import { InputError } from "../../core/errors/index.js";
import { createRunDirectory } from "../../core/run-store/index.js";
import {
  assertReadableInput,
  ensureWritableDirectory,
  pseudoFileSystem,
} from "../../core/user-paths/index.js";
import { tempDir } from "./support/temp-dir.js";

const root = join(import.meta.dirname, "..", "..");

/** Runs an ES module snippet under tsx in a child, killed after `timeoutMs` (a hang must fail, not stall vitest). */
function runChild(
  script: string,
  timeoutMs: number,
): { status: number | null; signal: string | null; out: string; err: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr, ms: Date.now() - started };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

/** Store directories no run can use, with a word the refusal must contain. */
function unusableStores(dir: string): Array<[string, RegExp]> {
  const file = join(dir, "a-file");
  writeFileSync(file, "x");
  return [
    ["/proc/faultline-nope", /\/proc is a kernel file system/],
    ["/sys/faultline-nope/store", /\/sys is a kernel file system/],
    ["/dev/null", /\/dev is a kernel file system/],
    [join(file, "store"), /a-file is a file, not a directory/],
  ];
}

describe("ensureWritableDirectory", () => {
  it("should create every missing level and return the absolute path when the parent is writable", () => {
    const dir = tempDir("faultline-paths-");
    const target = join(dir, "a", "b", "c");
    expect(ensureWritableDirectory(target, { label: "--store-dir" })).toBe(target);
    expect(statSync(target).isDirectory()).toBe(true);
    // Idempotent on an existing directory.
    expect(ensureWritableDirectory(target, { label: "--store-dir" })).toBe(target);
  });

  it("should refuse /proc, /sys, /dev and paths below a file with UNUSABLE_DIRECTORY naming the path", () => {
    const dir = tempDir("faultline-paths-");
    for (const [path, reason] of unusableStores(dir)) {
      const err = thrown(() => ensureWritableDirectory(path, { label: "--store-dir" }));
      expect(err, path).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe("UNUSABLE_DIRECTORY");
      expect((err as InputError).message).toContain(`--store-dir: cannot use ${path} as a directory`);
      expect((err as InputError).message).toMatch(reason);
      expect((err as InputError).hint).toMatch(/--store-dir/);
    }
    expect(existsSync("/proc/faultline-nope")).toBe(false);
  });

  it("should refuse a directory this process cannot write when it is not root", () => {
    if (process.getuid?.() === 0) {
      // Root writes anywhere on a writable file system; the refusal of a read-only one still holds (below).
      const err = thrown(() => ensureWritableDirectory("/proc/sys/x", { label: "--store-dir" }));
      expect((err as InputError).code).toBe("UNUSABLE_DIRECTORY");
      return;
    }
    const dir = tempDir("faultline-paths-");
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const err = thrown(() => ensureWritableDirectory(join(locked, "store"), { label: "--store-dir" }));
    expect((err as InputError).message).toMatch(/locked is not writable by this process/);
  });
});

describe("pseudoFileSystem", () => {
  it("should name kernel file systems and let ordinary storage and /dev/shm through", () => {
    expect(pseudoFileSystem("/proc")).toMatch(/\/proc/);
    expect(pseudoFileSystem("/proc/self")).toMatch(/\/proc/);
    expect(pseudoFileSystem("/sys/kernel")).toMatch(/\/sys/);
    expect(pseudoFileSystem("/dev")).toMatch(/\/dev/);
    expect(pseudoFileSystem("/procfoo")).toBeUndefined();
    expect(pseudoFileSystem(tempDir("faultline-paths-"))).toBeUndefined();
    if (existsSync("/dev/shm")) expect(pseudoFileSystem("/dev/shm")).toBeUndefined();
  });
});

describe("assertReadableInput", () => {
  it("should refuse devices, kernel files and the wrong kind, and accept a regular file", () => {
    const dir = tempDir("faultline-paths-");
    const file = join(dir, "run.yaml");
    writeFileSync(file, "seed: 1\n");
    expect(assertReadableInput(file, { label: "--config", kind: "file" }).path).toBe(file);
    expect(assertReadableInput(dir, { label: "--store-dir", kind: "directory" }).path).toBe(dir);
    const cases: Array<[string, "file" | "directory", RegExp]> = [
      ["/dev/zero", "file", /\/dev is a kernel file system/],
      ["/proc/self/environ", "file", /\/proc is a kernel file system/],
      ["/proc", "directory", /\/proc is a kernel file system/],
      [file, "directory", /it is a file, not a directory/],
      [dir, "file", /it is a directory, not a regular file/],
      [join(dir, "missing"), "file", /no such file or directory/],
    ];
    for (const [path, kind, reason] of cases) {
      const err = thrown(() => assertReadableInput(path, { label: "--x", kind }));
      expect((err as InputError).code, path).toBe("UNUSABLE_INPUT");
      expect((err as InputError).message, path).toMatch(reason);
      expect((err as InputError).message, path).toContain(path);
    }
  });
});

describe("loadConfigFile", () => {
  it("should refuse a device at once instead of reading it forever", () => {
    const started = Date.now();
    expect(() => loadConfigFile("/dev/zero")).toThrow(/--config: cannot read \/dev\/zero/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("loadProxyConfig", () => {
  it("should refuse a device at once instead of reading it forever", () => {
    expect(() => loadProxyConfig("/dev/zero")).toThrow(
      "--config: cannot read /dev/zero: /dev is a kernel file system, not storage",
    );
  });
});

describe("loadCampaign", () => {
  it("should refuse a named pipe at once instead of blocking on it", () => {
    const fifo = join(tempDir("faultline-paths-"), "campaign.yaml");
    spawnSync("mkfifo", [fifo]);
    expect(() => loadCampaign(fifo)).toThrow(
      `<file>: cannot read ${fifo}: it is a named pipe, not a regular file`,
    );
  });
});

describe("createRunDirectory", () => {
  it("should refuse an unusable store quickly with UNUSABLE_DIRECTORY, /proc included, instead of hanging", () => {
    const stores = unusableStores(tempDir("faultline-paths-"));
    // In a child with a tight timeout: before the guard, /proc spun forever inside mkdirSync, deaf to signals.
    const r = runChild(
      `import { createRunDirectory } from "./core/run-store/index.ts";
       const out = [];
       for (const storeDir of ${JSON.stringify(stores.map(([p]) => p))}) {
         try { createRunDirectory({ storeDir, testName: "t", now: new Date(0) }); out.push({ code: "created" }); }
         catch (e) { out.push({ code: e.code, message: e.message }); }
       }
       console.log(JSON.stringify(out));`,
      10_000,
    );
    expect(r.signal, `hung (killed after ${r.ms} ms)`).toBeNull();
    const results = JSON.parse(r.out.trim()) as Array<{ code: string; message: string }>;
    stores.forEach(([path, reason], i) => {
      expect(results[i]?.code, path).toBe("UNUSABLE_DIRECTORY");
      expect(results[i]?.message, path).toMatch(reason);
    });
  }, 30_000);

  it("should create the run directory and its nodes directory under a fresh store", () => {
    const store = join(tempDir("faultline-paths-"), "new", "store");
    const run = createRunDirectory({ storeDir: store, testName: "t", now: new Date(0) });
    expect(run.path).toBe(join(store, "t", "19700101T000000.000Z"));
    expect(statSync(run.files.nodes).isDirectory()).toBe(true);
  });
});

describe("faultline run --store-dir", () => {
  it("should exit 254 naming the store, at once, when it cannot be a writable directory", () => {
    const stores = unusableStores(tempDir("faultline-paths-"));
    // One child runs the CLI once per store, capturing each one's stderr; a hang on any of them kills it.
    const r = runChild(
      `import { runCli } from "./harness/cli/index.ts";
       const out = [];
       const write = process.stderr.write.bind(process.stderr);
       for (const dir of ${JSON.stringify(stores.map(([p]) => p))}) {
         let err = "";
         process.stderr.write = (s) => ((err += String(s)), true);
         const code = await runCli(["run", "--store-dir", dir, "--time-limit", "1s"]);
         process.stderr.write = write;
         out.push({ code, err });
       }
       console.log(JSON.stringify(out));`,
      20_000,
    );
    expect(r.signal, `hung (killed after ${r.ms} ms)`).toBeNull();
    const results = JSON.parse(r.out.trim().split("\n").pop()!) as Array<{ code: number; err: string }>;
    stores.forEach(([path, reason], i) => {
      const res = results[i]!;
      expect(res.code, `${path}: ${res.err}`).toBe(254);
      expect(res.err).toContain(`faultline: --store-dir: cannot use ${path} as a directory`);
      expect(res.err).toMatch(reason);
      expect(res.err).toContain("hint: point --store-dir at a directory you can write to");
    });
  }, 40_000);
});

describe("buildClockShim", () => {
  it("should refuse a $TMPDIR under /proc at once, naming it, instead of hanging", () => {
    const r = runChild(
      `import { tmpdir } from "node:os";
       process.env.TMPDIR = "/proc/faultline-nope";
       const { buildClockShim } = await import("./nemesis/clock/index.ts");
       try { await buildClockShim(); console.log(JSON.stringify({ code: "built" })); }
       catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, tmp: tmpdir() })); }`,
      10_000,
    );
    expect(r.signal, `hung (killed after ${r.ms} ms)`).toBeNull();
    const result = JSON.parse(r.out.trim()) as { code: string; message: string; tmp: string };
    expect(result.tmp).toBe("/proc/faultline-nope");
    expect(result.code).toBe("UNUSABLE_DIRECTORY");
    expect(result.message).toMatch(
      /^the clock shim's cache in \$TMPDIR: cannot use \/proc\/faultline-nope\/faultline-clock-shim-\d+ as a directory: \/proc is a kernel file system/,
    );
  }, 20_000);
});
