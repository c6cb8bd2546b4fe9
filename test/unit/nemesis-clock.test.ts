/**
 * The clock shim on real processes: a Node child started under it reports its own `Date.now()` and
 * `performance.now()` while the harness moves its wall clock through the control file.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildClockShim, ClockControl, isClockShim } from "../../nemesis/clock/index.js";
import { inspectProcess } from "../../stores/redis-sentinel/index.js";

const dir = mkdtempSync(join(tmpdir(), "faultline-clock-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a Node child under `env` printing `[wall clock − real now, monotonic ms]` every 100 ms for `ms`. */
function sample(
  env: Record<string, string>,
  ms: number,
  during?: (pid: number) => void,
): Promise<{ skew: number; mono: number }[]> {
  const script =
    "const t0 = performance.now();" +
    "setInterval(() => console.log(JSON.stringify([Date.now(), performance.now() - t0])), 100);";
  const child = spawn(process.execPath, ["-e", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const out: { skew: number; mono: number }[] = [];
  let buffer = "";
  child.stdout.on("data", (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const l of lines) {
      const [wall, mono] = JSON.parse(l) as [number, number];
      out.push({ skew: wall - Date.now(), mono });
    }
  });
  if (during && child.pid) during(child.pid);
  return new Promise((resolve) => {
    setTimeout(() => child.kill("SIGKILL"), ms);
    child.once("exit", () => resolve(out));
  });
}

describe("buildClockShim", () => {
  it("should build once and return the cached library", async () => {
    const a = await buildClockShim();
    const b = await buildClockShim();
    expect(a).toBe(b);
    expect(isClockShim(a)).toBe(true);
  });

  it("should name the compiler and give a hint when it cannot build", async () => {
    await expect(
      buildClockShim({ cacheDir: join(dir, "none"), compiler: "/nonexistent/cc" }),
    ).rejects.toMatchObject({ code: "CLOCK_SHIM_UNAVAILABLE", hint: expect.stringMatching(/C compiler/) });
  });
});

describe("ClockControl", () => {
  it("should start a process at its offset and jump its wall clock at run time, monotonic clock untouched", async () => {
    const shim = await buildClockShim();
    const control = ClockControl.create(join(dir, "jump.ctl"), { offsetMs: -5_000, rate: 1 });
    let preload: readonly string[] = [];
    const samples = await sample(control.environment(shim), 1600, (pid) => {
      setTimeout(() => (preload = inspectProcess(pid)?.preload ?? []), 300);
      setTimeout(() => control.setOffset(45_000), 800);
    });
    expect(preload).toEqual([shim]);
    const before = samples.filter((s) => s.skew < 20_000);
    const after = samples.filter((s) => s.skew > 20_000);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    // Skews within a generous scheduling margin of the offsets.
    for (const s of before) expect(Math.abs(s.skew + 5_000)).toBeLessThan(1_000);
    for (const s of after) expect(Math.abs(s.skew - 45_000)).toBeLessThan(1_000);
    // The monotonic clock did not jump with the wall clock.
    const monos = samples.map((s) => s.mono);
    const steps = monos.slice(1).map((m, i) => m - monos[i]!);
    expect(Math.max(...steps)).toBeLessThan(2_000);
    expect(control.offsetMs).toBe(45_000);
  });

  it("should run both clocks at the rate", async () => {
    const shim = await buildClockShim();
    const control = ClockControl.create(join(dir, "rate.ctl"), { offsetMs: 0, rate: 3 });
    const samples = await sample(control.environment(shim), 1500);
    expect(samples.length).toBeGreaterThan(2);
    const first = samples[0]!;
    const last = samples.at(-1)!;
    // At 3× the wall clock gains 2 ms per real ms; the process's own monotonic clock runs 3× too (its 100 ms
    // intervals pass in a third of the real time, so it also prints more often).
    const realMs = (last.mono - first.mono) / 3;
    expect(last.skew - first.skew).toBeGreaterThan(realMs * 1.5);
    expect(last.skew - first.skew).toBeLessThan(realMs * 2.5 + 200);
  });

  it("should refuse a rate that is not positive", () => {
    expect(() => ClockControl.create(join(dir, "bad.ctl"), { offsetMs: 0, rate: 0 })).toThrow(RangeError);
  });
});

describe("inspectProcess", () => {
  it("should see a stopped process and no preload, and nothing once it is gone", async () => {
    const child = spawn("sleep", ["5"], { stdio: "ignore" });
    await new Promise((r) => child.once("spawn", r));
    const pid = child.pid!;
    expect(inspectProcess(pid)).toEqual({ pid, state: "running", preload: [] });
    process.kill(pid, "SIGSTOP");
    await new Promise((r) => setTimeout(r, 50));
    expect(inspectProcess(pid)?.state).toBe("stopped");
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(inspectProcess(pid)).toBeUndefined();
  });
});
