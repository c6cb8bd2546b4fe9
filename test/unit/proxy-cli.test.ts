/**
 * `faultline proxy` as a process: the first log line announces the URL, the API works, SIGTERM closes every
 * port and exits 0, a bad --config exits 254 naming the file and entry, and --exit-with-parent follows a
 * SIGKILLed parent.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Toxiproxy } from "toxiproxy-node-client";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Cleanup, eventually, portOf } from "./proxy-test-helpers.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "faultline.js");

let cleanup: Cleanup;
let dir: string;
beforeAll(() => {
  // `npm test` builds first; a lone run of this file builds if dist/ is missing.
  if (!existsSync(join(root, "dist", "harness", "cli", "commands", "proxy.js"))) {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: root,
      },
    );
  }
}, 120_000);
beforeEach(() => {
  cleanup = new Cleanup();
  dir = mkdtempSync(join(tmpdir(), "faultline-proxy-cli-"));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
});
afterEach(async () => {
  await cleanup.run();
});

interface Running {
  child: ChildProcess;
  lines: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [bin, "proxy", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  let partial = "";
  child.stdout!.on("data", (d: Buffer) => {
    const parts = (partial + d.toString()).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  cleanup.add(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return { child, lines, stderr, exit };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED"));
  });
}

describe("faultline proxy", () => {
  it("should announce its URL first, serve the API, log events, and close every port on SIGTERM with exit 0", async () => {
    const p = run(["--port", "0"]);
    await eventually(() => p.lines.length > 0, 10_000, "listening line");
    const first = JSON.parse(p.lines[0]!) as { event: string; url: string; port: number };
    expect(first.event).toBe("listening");
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const toxiproxy = new Toxiproxy(first.url);
    const proxy = await toxiproxy.createProxy({ name: "x", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    const held = connect({ port: portOf(proxy.listen), host: "127.0.0.1" });
    held.on("error", () => {});
    cleanup.add(() => held.destroy());
    await eventually(() => p.lines.some((l) => l.includes('"event":"proxy.created"')), 2_000, "event line");
    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
    expect(JSON.parse(p.lines.at(-1)!)).toMatchObject({ event: "stopped", reason: "SIGTERM" });
    expect(await refused(first.port)).toBe(true);
    expect(await refused(portOf(proxy.listen))).toBe(true);
  });

  it("should create the proxies of a --config file at start", async () => {
    const file = join(dir, "proxies.json");
    writeFileSync(file, JSON.stringify([{ name: "cfg", listen: "127.0.0.1:0", upstream: "127.0.0.1:6379" }]));
    const p = run(["--port", "0", "--config", file]);
    await eventually(() => p.lines.length > 0, 10_000, "listening line");
    const { url } = JSON.parse(p.lines[0]!) as { url: string };
    const all = await new Toxiproxy(url).getAll();
    expect(Object.keys(all)).toEqual(["cfg"]);
    // Created before the log listened, and still logged (right after the listening line).
    const second = JSON.parse(p.lines[1]!) as { event: string; proxy: string };
    expect(second).toMatchObject({ event: "proxy.created", proxy: "cfg" });
    p.child.kill("SIGINT");
    expect(await p.exit).toBe(0);
  });

  it("should exit 254 naming the file and the entry when --config is bad", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(
      file,
      JSON.stringify([
        { name: "ok", upstream: "a:1" },
        { name: "b", upstream: "a:1", enabled: "yes" },
      ]),
    );
    const p = run(["--port", "0", "--config", file]);
    expect(await p.exit).toBe(254);
    const err = p.stderr.join("");
    expect(err).toContain(file);
    expect(err).toContain('entry 2, field "enabled"');
    expect(p.lines).toEqual([]);
  });

  it("should exit 254 naming the flag when --port is not a port", async () => {
    const p = run(["--port", "http"]);
    expect(await p.exit).toBe(254);
    expect(p.stderr.join("")).toContain("--port");
  });

  it("should log the seed it was given with --seed in its listening line", async () => {
    const p = run(["--port", "0", "--seed", "4294967295"]);
    await eventually(() => p.lines.length > 0, 10_000, "listening line");
    expect(JSON.parse(p.lines[0]!)).toMatchObject({ event: "listening", seed: 4294967295 });
    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
  });

  it("should take its seed from FAULTLINE_PROXY_SEED when given no --seed (the docker backend's proxy container)", async () => {
    const p = run(["--port", "0"], { FAULTLINE_PROXY_SEED: "77" });
    await eventually(() => p.lines.length > 0, 10_000, "listening line");
    expect(JSON.parse(p.lines[0]!)).toMatchObject({ event: "listening", seed: 77 });
    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
  });

  it("should log the fresh seed it picked when started without --seed", async () => {
    const p = run(["--port", "0"]);
    await eventually(() => p.lines.length > 0, 10_000, "listening line");
    const { seed } = JSON.parse(p.lines[0]!) as { seed: unknown };
    expect(Number.isInteger(seed)).toBe(true);
    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
  });

  it("should exit 254 naming the flag when --seed is not a 32-bit unsigned integer", async () => {
    const p = run(["--port", "0", "--seed", "4294967296"]);
    expect(await p.exit).toBe(254);
    expect(p.stderr.join("")).toContain("--seed");
  });

  it("should exit when its parent is killed, with --exit-with-parent", async () => {
    const log = join(dir, "child.log");
    const parent = spawn(
      process.execPath,
      [
        "-e",
        `const fs=require("fs");const out=fs.openSync(${JSON.stringify(log)},"w");` +
          `const c=require("child_process").spawn(process.execPath,[${JSON.stringify(bin)},"proxy","--port","0","--exit-with-parent"],{stdio:["ignore",out,out]});` +
          `process.stdout.write(c.pid+"\\n");setInterval(()=>{},1000)`,
      ],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    cleanup.add(() => parent.kill("SIGKILL"));
    const pid = await new Promise<number>((resolve) =>
      parent.stdout!.once("data", (d: Buffer) => resolve(Number(d))),
    );
    // Running, and not a zombie: an orphan's exit status is collected by whoever adopted it, which may never happen.
    const alive = (): boolean => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    cleanup.add(() => {
      if (alive()) process.kill(pid, "SIGKILL");
    });
    const readLog = (): string => (existsSync(log) ? readFileSync(log, "utf8") : "");
    await eventually(() => readLog().includes('"event":"listening"'), 10_000, "proxy listening");
    parent.kill("SIGKILL");
    await eventually(() => !alive(), 5_000, "proxy exit after parent death");
    expect(readLog()).toContain('"reason":"parent-exited"');
  });
});
