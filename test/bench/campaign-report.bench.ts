/**
 * `npm run bench -- campaign-report`: the campaign comparison report at 100 and 1,000 runs (synthetic run results:
 * 2 stores × 2 workloads × 5 nemeses × 1 replication mode, 5 or 50 seeds each, with verdicts, lost writes, loss
 * windows and failover times drawn from a seeded generator) — render time, file size, and Chromium's time to a
 * complete render from disk. Target (issue 16): 1,000 runs open in under 2 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CampaignCellResult, CampaignResults } from "../../harness/campaign/index.js";
import { renderCampaignReport } from "../../harness/campaign/index.js";
import { launchChromium } from "../e2e/support/chromium.js";
import { loadAverage, median } from "./bench-stats.js";
import type { BenchContext } from "./run.js";

export const description =
  "the campaign comparison report at 100 and 1,000 runs (synthetic results): render time, size, and Chromium's " +
  "first complete render from disk (target: 1,000 runs in under 2 s).";

/** A campaign's results with `seeds` seeds per configuration, drawn from a fixed seed. */
export function syntheticCampaign(seeds: number): CampaignResults {
  let s = 42;
  const rnd = (): number => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const cells: CampaignCellResult[] = [];
  for (const store of ["redis-sentinel", "postgres-patroni"])
    for (const workload of ["set", "register"])
      for (const nemesis of ["partition-leader", "kill-leader", "pause-leader", "clock-leader", "none"])
        for (let k = 1; k <= seeds; k++) {
          const risky = nemesis !== "none" && store === "redis-sentinel";
          const invalid = risky && rnd() < 0.6;
          const lost = invalid ? Math.floor(1 + rnd() * 200) : 0;
          const id = `${store}-${workload}-${nemesis}-async-s${k}`;
          cells.push({
            label: `${store} · ${workload} · ${nemesis} · async · seed ${k}`,
            id,
            store,
            workload,
            nemesis,
            replication: "async",
            seed: k,
            status: "done",
            valid: invalid ? false : rnd() < 0.02 ? "unknown" : true,
            exitCode: invalid ? 1 : 0,
            runDir: `runs/${id}/20261207T000000.000Z`,
            report: `runs/${id}/20261207T000000.000Z/report.html`,
            metrics: {
              ops: 2000,
              writes: { ok: 1500, fail: Math.floor(rnd() * 50), info: Math.floor(rnd() * 20) },
              writeLatencyMs: { p50: 1.2, p99: 9.5, max: 40 },
              lost: workload === "set" ? lost : null,
              anomalyKinds: invalid ? ["lost"] : [],
              durationMs: 20_000,
              failoverMs: nemesis === "none" ? [] : [Math.round(1000 + rnd() * 9000)],
              lossWindowMs: lost > 0 ? Math.round(rnd() * 8000) : null,
            },
            timeLimitMs: 8000,
            elapsedMs: 20_000,
          });
        }
  return {
    schemaVersion: 1,
    kind: "campaign",
    name: "bench",
    file: "bench.yaml",
    dir: "/tmp/bench",
    startedAt: "2026-12-07T00:00:00.000Z",
    finishedAt: "2026-12-07T06:00:00.000Z",
    seed: 1,
    valid: false,
    exitCode: 1,
    interrupted: false,
    axes: { workload: ["set", "register"], nemesis: [], replication: ["async"], seed: [] },
    cells,
  } as unknown as CampaignResults;
}

export async function run(ctx: BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "faultline-bench-campaign-report-"));
  const rows: (string | number)[][] = [];
  try {
    await using browser = await launchChromium();
    for (const seeds of [5, 50]) {
      const results = syntheticCampaign(seeds);
      const renders: number[] = [];
      let html = "";
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        html = renderCampaignReport(results);
        renders.push(performance.now() - t0);
      }
      const file = join(dir, `campaign-${results.cells.length}.html`);
      writeFileSync(file, html);
      const opens: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const { page, errors } = await browser.open(file);
        await page.waitForFunction(() => document.documentElement.dataset.rendered === "true", null, {
          timeout: 60_000,
        });
        opens.push(performance.now() - t0);
        if (errors.length > 0) throw new Error(`the report had errors: ${errors.join("; ")}`);
        await page.close();
      }
      rows.push([
        results.cells.length,
        `${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB`,
        median(renders).toFixed(1),
        opens.map((x) => x.toFixed(0)).join(", "),
        median(opens).toFixed(0),
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  ctx.table(
    "Campaign report: render and open (20 configurations; 5 and 50 seeds each)",
    ["runs", "report.html", "render, ms (median of 5)", "Chromium open → rendered, ms (each)", "median"],
    rows,
  );
  ctx.note(`Load average when the suite ended: ${loadAverage()}.`);
}
