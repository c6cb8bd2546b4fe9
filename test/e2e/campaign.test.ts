/**
 * A small real campaign — 2 workloads × 2 nemeses × 2 replication modes, about 6 s of traffic each — through the
 * real `faultline campaign` binary: every cell runs and reports its own verdict, the campaign report in Chromium
 * shows every cell with that verdict and a working link, the exit code is the worst verdict, junit.xml holds a
 * suite per run, `faultline serve` lists it, and nothing is left running. A second campaign mixes stores
 * (`store: [redis-sentinel, simulated]`): each cell runs on its own store with its settings, compared side by side.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CampaignResults } from "../../harness/campaign/index.js";
import { validateRunResults } from "../../harness/results/index.js";
import { startResultsServer } from "../../harness/serve/index.js";
import { canvasInk, launchChromium, screenshot } from "./support/chromium.js";
import {
  ensureBuilt,
  expectNothingLeft,
  readJson,
  ROOT,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

const CAMPAIGN = `
name: e2e-small
run:
  timeLimit: 6s
  concurrency: 4
  nemesisInterval: 1500ms
  partitionDuration: 3s
  restartDelay: 2s
matrix:
  workload: [set, register]
  nemesis: [partition-leader, kill-leader]
  replication: [async, "min-replicas:1:1"]
  seed: [5]
`;

describe("faultline campaign", () => {
  it("should run every cell of a 2 × 2 × 2 matrix and show each with its verdict in the campaign report", async () => {
    const store = tempStore("campaign");
    const file = join(store, "campaign.yaml");
    writeFileSync(file, CAMPAIGN);
    const r = await runFaultline(["campaign", file, "--store-dir", store], { timeoutMs: 900_000 });
    const dir = join(store, "campaigns", "latest");
    const results = readJson<CampaignResults>(join(dir, "results.json"));
    expect(results.cells).toHaveLength(8);
    expect(r.stderr).toContain("[8/8]");

    // Each cell ran and carries its run's own verdict; the exit code is the worst of them.
    const worst = results.cells.some((c) => c.valid === false)
      ? 1
      : results.cells.some((c) => c.valid !== true)
        ? 2
        : 0;
    expect(r.code, r.stderr).toBe(worst);
    expect(results.exitCode).toBe(worst);
    for (const c of results.cells) {
      expect(c.status, `${c.id}: ${c.error ?? ""}`).toBe("done");
      const run = readJson(join(dir, c.runDir!, "results.json"));
      expect(validateRunResults(run)).toEqual([]);
      expect(c.valid).toBe(run.valid);
      expect(existsSync(join(dir, c.report!))).toBe(true);
      expect(c.metrics!.ops).toBeGreaterThan(50);
      expect(c.metrics!.writes.ok).toBeGreaterThan(0);
      await expectNothingLeft(join(dir, c.runDir!));
    }
    expect(new Set(results.cells.map((c) => `${c.workload}/${c.nemesis}/${c.replication}`)).size).toBe(8);

    // junit.xml: a suite per run.
    const junit = readFileSync(join(dir, "junit.xml"), "utf8");
    expect(junit.match(/<testsuite /g)).toHaveLength(8);

    // The campaign report in Chromium: every cell, its verdict, a link that leads to its report.
    await using browser = await launchChromium();
    const { page, errors, blocked } = await browser.open(join(dir, "report.html"));
    await page.waitForFunction(() => document.documentElement.dataset.rendered === "true", null, {
      timeout: 15_000,
    });
    for (const c of results.cells) {
      const cell = page.locator(`[data-cell="${c.id}"]`);
      const verdict = c.valid === true ? "valid" : c.valid === false ? "INVALID" : "unknown";
      expect(await cell.locator(".verdict").innerText()).toBe(verdict);
      const href = await cell.locator("a").getAttribute("href");
      expect(href).toBe(c.report);
      expect(existsSync(join(dir, href!))).toBe(true);
    }
    const ink = await canvasInk(page);
    for (const id of ["chart-lost", "chart-uncertain", "chart-latency"])
      expect(ink[id], id).toBeGreaterThan(1000);
    await screenshot(page, ROOT, "campaign/report.png");
    // Following a cell's link opens that run's report, which renders.
    await page.locator(`[data-cell="${results.cells[0]!.id}"] a`).click();
    await page.waitForURL((u) => u.pathname.includes("/runs/"), { timeout: 10_000 });
    await page.waitForFunction(() => document.documentElement.dataset.rendered === "true", null, {
      timeout: 15_000,
    });
    expect(await page.title()).toContain(results.cells[0]!.id);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);

    // faultline serve lists the campaign and its runs, and serves the reports.
    await using server = await startResultsServer({ storeDir: store, port: 0 });
    const index = (await (await fetch(`${server.url}api/index.json`)).json()) as {
      campaigns: { name: string; valid: unknown; runs: number }[];
      runs: { path: string }[];
    };
    expect(index.campaigns).toEqual([
      expect.objectContaining({ name: "e2e-small", valid: results.valid, runs: 8 }),
    ]);
    expect(index.runs).toHaveLength(8);
    const report = await fetch(`${server.url}files/${index.runs[0]!.path}/report.html`);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain("faultline-data");
  }, 900_000);

  it("should run a matrix that mixes stores, each cell on its own store, compared side by side", async () => {
    const store = tempStore("campaign-stores");
    const file = join(store, "campaign.yaml");
    writeFileSync(
      file,
      `
name: e2e-stores
run: { timeLimit: 5s, concurrency: 3, nemesisInterval: 1500ms, partitionDuration: 2s }
stores:
  simulated: { failoverTimeoutMs: 400ms }
matrix:
  store: [redis-sentinel, simulated]
  workload: set
  nemesis: partition-leader
  seed: [11]
`,
    );
    const r = await runFaultline(["campaign", file, "--store-dir", store], { timeoutMs: 600_000 });
    const dir = join(store, "campaigns", "latest");
    const results = readJson<CampaignResults>(join(dir, "results.json"));
    expect(results.axes.store).toEqual(["redis-sentinel", "simulated"]);
    expect(results.cells.map((c) => [c.store, c.id])).toEqual([
      ["redis-sentinel", "redis-sentinel-set-partition-leader-default-s11"],
      ["simulated", "simulated-set-partition-leader-default-s11"],
    ]);
    expect(r.code, r.stderr).toBe(results.exitCode);
    for (const c of results.cells) {
      expect(c.status, `${c.id}: ${c.error ?? ""}`).toBe("done");
      // Each run really ran on its store, with that store's settings.
      const config = readJson(join(dir, c.runDir!, "config.json"));
      expect(config.store.kind).toBe(c.store);
      expect(config.run.cluster.store).toBe(c.store);
      if (c.store === "simulated") expect(config.store.failoverTimeoutMs).toBe(400);
      expect(c.metrics!.writes.ok).toBeGreaterThan(0);
      // The simulated store runs in-process: no process or port of its own to leave behind.
      if (c.store === "redis-sentinel") await expectNothingLeft(join(dir, c.runDir!));
    }
    // The comparison report: a column per store, each cell linked to its run's report.
    await using browser = await launchChromium();
    const { page, errors, blocked } = await browser.open(join(dir, "report.html"));
    await page.waitForFunction(() => document.documentElement.dataset.rendered === "true", null, {
      timeout: 15_000,
    });
    expect(await page.locator("table.matrix th .store").allInnerTexts()).toEqual([
      "redis-sentinel",
      "simulated",
    ]);
    for (const c of results.cells) {
      const href = await page.locator(`[data-cell="${c.id}"] a`).getAttribute("href");
      expect(href).toBe(c.report);
      expect(existsSync(join(dir, href!))).toBe(true);
    }
    await screenshot(page, ROOT, "campaign/stores.png");
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  }, 600_000);
});
