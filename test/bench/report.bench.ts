/**
 * `npm run bench -- report`: the run report at 10,000 and 100,000 client ops — how long building its data and
 * rendering its HTML take, how big the file is, and how long Chromium takes to its first complete render
 * (charts and timeline drawn) when opening it from disk. Targets (issue 7): ≤ 25 MB and ≤ 2 s at 100,000 ops.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Op } from "../../checkers/history/index.js";
import { prepareCheckers, runCheckers } from "../../checkers/registry/index.js";
import { buildReportData, renderReportHtml } from "../../harness/report/index.js";
import { launchChromium } from "../e2e/support/chromium.js";
import { median } from "./bench-stats.js";
import type { BenchContext } from "./run.js";

export const description =
  "report.html at 10,000 and 100,000 client ops (a set run with partitions, failovers, replication-offset samples " +
  "and lost writes): data build and HTML render time, file size, and Chromium's first render from disk " +
  "(targets ≤ 25 MB and ≤ 2 s at 100,000 ops).";

const PROCESSES = 10;
const MS = 1e6;

/**
 * A set run of `ops` client ops by 10 workers at about 100 ops/s: adds (1–8 ms each, 1 % info, 2 % fail while a
 * partition is on), a read of the whole set every 2,000 ops, a partition-leader every 20 s for 8 s with a failover
 * 2 s into it (the old leader's acks during it are lost), Sentinel events, leader and masters reports, and a
 * replication-offset sample every 400 ms. Seeded, so every run of the bench sees the same history.
 */
export function reportHistory(ops: number): Op[] {
  const h: Op[] = [];
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const push = (o: Omit<Op, "index">): void => void h.push({ index: h.length, ...o } as Op);
  let t = 1000 * MS;
  let leader = 1;
  let partition: { from: number; to: number; leader: number; failover: number; done: boolean } | undefined;
  let nextPartition = t + 20_000 * MS;
  let nextSample = t;
  let offset = 0;
  const acked: number[] = [];
  const lostSet = new Set<number>();
  push({ time: t, process: "monitor", type: "info", f: "leader", value: "n1" });
  push({ time: t, process: "monitor", type: "info", f: "writable-leaders", value: ["n1"] });
  let element = 0;
  for (let i = 0; i < ops; i += PROCESSES) {
    t += 100 * MS;
    if (!partition && t >= nextPartition) {
      partition = { from: t, to: t + 8000 * MS, leader, failover: t + 2000 * MS, done: false };
      push({ time: t, process: "nemesis", type: "invoke", f: "start-partition-leader", value: null });
      push({
        time: t + 50 * MS,
        process: "nemesis",
        type: "ok",
        f: "start-partition-leader",
        value: {
          leader: `n${leader}`,
          withLeader: [`n${leader}`, "c1"],
          others: ["n2", "n3", "s1", "s2", "s3", "c2"],
        },
      });
    }
    if (partition && !partition.done && t >= partition.failover) {
      partition.done = true;
      leader = (leader % 3) + 1;
      push({
        time: t,
        process: "monitor",
        type: "info",
        f: "manager-event",
        value: {
          manager: "s1",
          event: "+switch-master",
          kind: "leader-switch",
          text: "faultline 127.0.0.1 1 127.0.0.1 2",
          from: `n${partition.leader}`,
          to: `n${leader}`,
        },
      });
      push({ time: t + MS, process: "monitor", type: "info", f: "leader", value: `n${leader}` });
      push({
        time: t + 2 * MS,
        process: "monitor",
        type: "info",
        f: "writable-leaders",
        value: [`n${partition.leader}`, `n${leader}`],
      });
    }
    if (partition && t >= partition.to) {
      push({ time: t, process: "nemesis", type: "invoke", f: "stop-partition-leader", value: null });
      push({
        time: t + 40 * MS,
        process: "nemesis",
        type: "ok",
        f: "stop-partition-leader",
        value: { healed: 20 },
      });
      push({
        time: t + 900 * MS,
        process: "monitor",
        type: "info",
        f: "manager-event",
        value: {
          manager: "s2",
          event: "+convert-to-slave",
          kind: "demoted",
          text: "slave",
          node: `n${partition.leader}`,
        },
      });
      push({
        time: t + 901 * MS,
        process: "monitor",
        type: "info",
        f: "writable-leaders",
        value: [`n${leader}`],
      });
      partition = undefined;
      nextPartition = t + 20_000 * MS;
    }
    if (t >= nextSample) {
      offset += 4000;
      const lag = partition ? Math.round((t - partition.from) / MS) * 10 : Math.round(rnd() * 50);
      const followers = Object.fromEntries(
        [1, 2, 3]
          .filter((n) => n !== leader)
          .map((n) => [`n${n}`, { of: `n${leader}`, offset: offset - lag, lagBytes: lag, link: "up" }]),
      );
      push({
        time: t,
        process: "monitor",
        type: "info",
        f: "replication-offsets",
        value: { leader: `n${leader}`, offset, followers },
      });
      nextSample = t + 400 * MS;
    }
    const read = i > 0 && i % 2000 < PROCESSES;
    for (let p = 0; p < PROCESSES; p++) {
      const start = t + p * 7 * MS;
      if (read && p === 0) {
        push({ time: start, process: p, type: "invoke", f: "read", key: "faultline:set", value: null });
        push({
          time: start + 4 * MS,
          process: p,
          type: "ok",
          f: "read",
          key: "faultline:set",
          value: acked.filter((e) => !lostSet.has(e)),
          node: `n${leader}`,
        });
        continue;
      }
      const e = element++;
      const isolated = partition && p % 2 === 0;
      push({ time: start, process: p, type: "invoke", f: "add", key: "faultline:set", value: e });
      const r = rnd();
      const end = start + Math.round((1 + 7 * rnd()) * MS);
      if (r < 0.01)
        push({
          time: end,
          process: p,
          type: "info",
          f: "add",
          key: "faultline:set",
          value: e,
          error: "timeout",
        });
      else if (partition && !isolated && r < 0.03)
        push({
          time: end,
          process: p,
          type: "fail",
          f: "add",
          key: "faultline:set",
          value: e,
          error: "READONLY",
        });
      else {
        const node = isolated ? `n${partition!.leader}` : `n${leader}`;
        push({ time: end, process: p, type: "ok", f: "add", key: "faultline:set", value: e, node });
        acked.push(e);
        if (isolated && partition!.done) lostSet.add(e);
      }
    }
  }
  t += 2000 * MS;
  push({ time: t, process: 0, type: "invoke", f: "read", key: "faultline:set", value: null });
  push({
    time: t + 5 * MS,
    process: 0,
    type: "ok",
    f: "read",
    key: "faultline:set",
    value: acked.filter((e) => !lostSet.has(e)),
    node: `n${leader}`,
  });
  // Times must not go backwards: workers' ops overlap, the history is in time order.
  h.sort((a, b) => a.time - b.time || a.index - b.index);
  return h.map((o, index) => ({ ...o, index }));
}

export async function run(ctx: BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "faultline-report-bench-"));
  const rows: (string | number)[][] = [];
  const renderRows: (string | number)[][] = [];
  try {
    await using browser = await launchChromium();
    for (const ops of [10_000, 100_000]) {
      const history = reportHistory(ops);
      const clientOps = history.filter((o) => typeof o.process === "number" && o.type === "invoke").length;
      const verdict = runCheckers(prepareCheckers([{ name: "set" }, { name: "stats" }]), history);
      const input = {
        history,
        results: verdict.results,
        valid: verdict.valid,
        title: `bench ${ops}`,
        runDir: dir,
        seed: 1,
        config: { concurrency: PROCESSES, testName: "bench" },
      };
      const build: number[] = [];
      const render: number[] = [];
      let html = "";
      for (let i = 0; i < 4; i++) {
        const t0 = performance.now();
        const data = buildReportData(input);
        const t1 = performance.now();
        html = renderReportHtml(data);
        const t2 = performance.now();
        build.push(t1 - t0);
        render.push(t2 - t1);
      }
      const file = join(dir, `report-${ops}.html`);
      writeFileSync(file, html);
      const bytes = Buffer.byteLength(html);
      rows.push([
        clientOps.toLocaleString("en"),
        history.length.toLocaleString("en"),
        `${(bytes / 2 ** 20).toFixed(2)} MiB`,
        Math.round(build[0]!),
        Math.round(median(build.slice(1))),
        Math.round(render[0]!),
        Math.round(median(render.slice(1))),
        verdict.valid === false
          ? `invalid (${String(verdict.results.set!.lostCount)} lost)`
          : String(verdict.valid),
      ]);
      const firsts: number[] = [];
      const scripts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { page, errors } = await browser.open(file);
        await page.waitForFunction(() => document.documentElement.dataset.rendered === "true", null, {
          timeout: 60_000,
        });
        const r = (await page.evaluate(
          () => (window as unknown as { __faultlineReport: unknown }).__faultlineReport,
        )) as {
          renderMs: number;
          paintedMs: number;
          charts: number;
        };
        if (errors.length > 0) throw new Error(`the report logged errors: ${errors.join("; ")}`);
        if (r.charts !== 3) throw new Error(`expected 3 charts, got ${r.charts}`);
        firsts.push(r.paintedMs);
        scripts.push(r.renderMs);
        await page.close();
      }
      renderRows.push([
        clientOps.toLocaleString("en"),
        Math.round(median(firsts)),
        Math.round(Math.min(...firsts)),
        Math.round(Math.max(...firsts)),
        Math.round(median(scripts)),
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  ctx.table(
    "report.html: size, data build and HTML render (ms; cold = first call, warm = median of the next three)",
    [
      "client ops",
      "history entries",
      "size",
      "build cold",
      "build warm",
      "render cold",
      "render warm",
      "verdict",
    ],
    rows,
  );
  ctx.table(
    "First render in Chromium from disk (ms from navigation to the first frame painted with every chart and the timeline drawn; 3 loads)",
    ["client ops", "median", "min", "max", "page script alone (median)"],
    renderRows,
  );
  const big = rows[1]!;
  const sizeMb = Number(String(big[2]).split(" ")[0]) * 1.048576;
  ctx.note(
    `At 100,000 ops: ${big[2]} (${sizeMb.toFixed(1)} MB; target ≤ 25 MB: ${sizeMb <= 25 ? "met" : "missed"}); ` +
      `first render ${renderRows[1]![1]} ms median (target ≤ 2,000 ms: ${Number(renderRows[1]![1]) <= 2000 ? "met" : "missed"}). ` +
      `Chromium ${process.env.CHROMIUM_VERSION ?? "from /usr/bin/chromium"}, headless, ${cpus().length} cores shared with other sessions.`,
  );
}
