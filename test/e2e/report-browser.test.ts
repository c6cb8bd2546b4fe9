/**
 * The run report in real headless Chromium (Debian's, driven by playwright-core): the report of a real run opens
 * from disk with no console error and no network request, its charts and timeline draw (canvas pixels), the
 * anomalies are told against the faults around them; a history full of hostile strings renders escaped and runs
 * nothing. Screenshots go to test-artifacts/report-browser/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { validateRunResults } from "../../harness/results/index.js";
import { canvasInk, launchChromium, screenshot } from "./support/chromium.js";
import {
  ensureBuilt,
  flags,
  readJson,
  ROOT,
  runDirOf,
  runFaultline,
  tempStore,
} from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

const rendered = (page: Page): Promise<unknown> =>
  page.waitForFunction(() => document.documentElement.dataset.rendered === "true", null, { timeout: 15_000 });

describe("report.html in Chromium", () => {
  it("should open a real run's report from disk with no errors, draw every chart and tell the anomalies", async () => {
    const store = tempStore("report-browser");
    const r = await runFaultline([
      ...flags(
        "run --nemesis partition-leader --time-limit 10s --nemesis-interval 2s --partition-duration 6s --seed 7",
      ),
      "--store-dir",
      store,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const dir = runDirOf(store);
    expect(validateRunResults(readJson(join(dir, "results.json")))).toEqual([]);

    await using browser = await launchChromium();
    const { page, errors, blocked } = await browser.open(join(dir, "report.html"));
    await rendered(page);
    const info = (await page.evaluate(
      () => (window as unknown as { __faultlineReport: unknown }).__faultlineReport,
    )) as {
      charts: number;
      ops: number;
    };
    expect(info.ops).toBeGreaterThan(100);
    // Latency, throughput and replication lag (the monitor samples offsets), all drawn.
    expect(info.charts).toBe(3);
    const ink = await canvasInk(page);
    for (const id of ["chart-latency", "chart-throughput", "chart-lag", "timeline"]) {
      expect(ink[id], `${id} ${JSON.stringify(ink)}`).toBeGreaterThan(2000);
    }
    const text = await page.locator("#anomalies ~ article.story").first().innerText();
    expect(text).toMatch(
      /acknowledged adds? lost, acknowledged by n1 (at|between) .* during partition-leader #1/,
    );
    expect(text).toMatch(
      /add \d+ was acknowledged by n1 at \d+\.\d{3} s during partition-leader #1; n1 stopped being leader at \d+\.\d{3} s \(the failover managers named n[23]\)/,
    );
    expect(text).toMatch(/is absent from the final read/);
    await screenshot(page, ROOT, "report-browser/real-run.png");

    // The first screen (1400 × 900, no scrolling) is the verdict and the cluster picture: faults, a row per data
    // node with who led, writes lost; the faults are told in words, never as the recorded JSON.
    const viewport = page.viewportSize()!;
    const firstScreen = async (selector: string): Promise<void> => {
      const b = (await page.locator(selector).first().boundingBox())!;
      expect(b, selector).not.toBeNull();
      expect(b.y + b.height, `${selector} ends below the first screen`).toBeLessThanOrEqual(viewport.height);
    };
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const selector of ["#verdict", "#cluster-picture", "#faults"]) await firstScreen(selector);
    expect(await page.locator("#verdict").innerText()).toBe("INVALID");
    const headline = await page.locator("header#summary").innerText();
    expect(headline).toMatch(/[1-9][\d,]* acknowledged writes? lost/);
    expect(headline).toMatch(/n1 → n[23] leader/);
    const picture = await page.locator("#cluster-picture").innerHTML();
    for (const row of [">faults<", ">n1<", ">n2<", ">n3<", ">writes lost ("]) expect(picture).toContain(row);
    const faults = await page.locator("#faults").innerText();
    expect(faults).toMatch(
      /partitioned n1 \(the leader\)( with clients? [c\d, –]+)? from n2, n3 with failover managers s1–s3/,
    );
    expect(faults).toMatch(/for \d+\.\d s/);
    expect(faults).not.toMatch(/[{}[\]"]/);
    // Long lists are folded behind their (complete) counts.
    const lost = await page.locator("details#lost-writes > summary").innerText();
    expect(lost).toBe(
      `Lost writes (${readJson<{ results: { set: { lostCount: number } } }>(join(dir, "results.json")).results.set.lostCount})`,
    );
    expect(await page.locator("details#lost-writes").getAttribute("open")).toBeNull();
    await page.screenshot({ path: join(ROOT, "test-artifacts", "report-browser", "first-screen.png") });

    // Hovering an op of the timeline shows its details; "show in timeline" zooms to an anomaly without error.
    await page.locator("button[data-from]").first().click();
    await page.locator("#timeline canvas").scrollIntoViewIfNeeded();
    const box = (await page.locator("#timeline canvas").boundingBox())!;
    let tip = "";
    for (let x = box.x + 120; x < box.x + box.width - 10 && !tip; x += 7) {
      await page.mouse.move(x, box.y + 2 * 16 + 6 + 8);
      tip = (await page.locator("#fl-tip").isVisible()) ? await page.locator("#fl-tip").innerText() : "";
    }
    expect(tip).toMatch(/history index \d+/);
    await screenshot(page, ROOT, "report-browser/real-run-zoomed.png");

    // junit.xml is well-formed XML with a failing set test case.
    const xml = readFileSync(join(dir, "junit.xml"), "utf8");
    const parsed = await page.evaluate((x) => {
      const doc = new DOMParser().parseFromString(x, "application/xml");
      return {
        error: doc.querySelector("parsererror")?.textContent ?? null,
        failures: Array.from(doc.querySelectorAll("testcase > failure")).map((f) =>
          f.parentElement!.getAttribute("name"),
        ),
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.failures).toContain("set");
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  });

  it("should render a history of hostile strings escaped, run none of them, and stay usable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-hostile-"));
    try {
      const evil = [
        "<script>window.__pwned=1</script>",
        "</script><script>window.__pwned=2</script>",
        `"'><img src=x onerror="window.__pwned=3">`,
        "<!-- <svg onload=window.__pwned=4>",
        "\u2028</title><script>window.__pwned=5</script>",
      ];
      const long = `${"A".repeat(200_000)}</script><script>window.__pwned=6</script>`;
      const ms = 1e6;
      const ops: Record<string, unknown>[] = [
        { process: "monitor", type: "info", f: "leader", value: evil[0] },
        { process: 0, type: "invoke", f: "add", key: evil[1], value: evil[2] },
        { process: 0, type: "ok", f: "add", key: evil[1], value: evil[2], node: evil[3] },
        { process: "nemesis", type: "invoke", f: `start-${evil[4]}`, value: null },
        {
          process: "nemesis",
          type: "ok",
          f: `start-${evil[4]}`,
          value: { withLeader: [evil[0]], others: [evil[1]], grudge: evil[2] },
        },
        { process: 1, type: "invoke", f: "add", key: evil[1], value: long },
        { process: 1, type: "ok", f: "add", key: evil[1], value: long, node: evil[0] },
        {
          process: "monitor",
          type: "info",
          f: "manager-event",
          value: {
            manager: evil[0],
            event: "+switch-master",
            kind: "leader-switch",
            text: evil[1],
            to: evil[2],
          },
        },
        { process: "monitor", type: "info", f: "writable-leaders", value: [evil[0], evil[3]] },
        { process: 2, type: "invoke", f: evil[2], value: evil[3] },
        { process: 2, type: "fail", f: evil[2], value: evil[3], error: evil[4] },
        { process: "nemesis", type: "invoke", f: `stop-${evil[4]}`, value: null },
        { process: "nemesis", type: "ok", f: `stop-${evil[4]}`, value: evil[0] },
        { process: 0, type: "invoke", f: "read", key: evil[1], value: null },
        { process: 0, type: "ok", f: "read", key: evil[1], value: [evil[0]], node: evil[1] },
      ];
      writeFileSync(
        join(dir, "history.jsonl"),
        ops.map((o, index) => JSON.stringify({ index, time: (index + 1) * 50 * ms, ...o })).join("\n") + "\n",
      );
      writeFileSync(
        join(dir, "config.json"),
        JSON.stringify({
          testName: evil[0],
          workload: evil[1],
          nemesis: evil[2],
          seed: 1,
          checkers: [{ name: "set" }, { name: "stats" }],
        }),
      );
      const r = await runFaultline(["check", dir]);
      expect(r.code, r.stderr).toBe(1); // the set lost both adds
      const html = readFileSync(join(dir, "report.html"), "utf8");
      for (const s of [...evil.slice(0, 4), "</script><script>window.__pwned=6"])
        expect(html).not.toContain(s);

      await using browser = await launchChromium();
      const { page, errors, blocked } = await browser.open(join(dir, "report.html"));
      await rendered(page);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator("img, svg[onload]").count()).toBe(0);
      const body = await page.locator("body").innerText();
      expect(body).toContain("<script>window.__pwned=1</script>");
      expect(body).toContain(`"'><img src=x onerror="window.__pwned=3">`);
      const ink = await canvasInk(page);
      expect(ink.timeline).toBeGreaterThan(500);
      expect(ink["chart-latency"]).toBeGreaterThan(500);
      // The timeline's hover shows the hostile value as text.
      await page.locator("#timeline canvas").scrollIntoViewIfNeeded();
      const box = (await page.locator("#timeline canvas").boundingBox())!;
      let tip = "";
      for (let x = box.x + 100; x < box.x + box.width - 10 && !tip.includes("process 0"); x += 5) {
        await page.mouse.move(x, box.y + 2 * 16 + 6 + 8);
        tip = (await page.locator("#fl-tip").isVisible()) ? await page.locator("#fl-tip").innerText() : "";
      }
      expect(tip).toContain(`key </script><script>window.__pwned=2</script>`);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      await screenshot(page, ROOT, "report-browser/hostile.png");
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("report.html in Chromium (counterexamples)", () => {
  it("should draw a linearizability counterexample's lanes and a list-append cycle's graph with no errors", async () => {
    const root = mkdtempSync(join(tmpdir(), "faultline-views-"));
    try {
      const ms = 1e6;
      const write = (dir: string, ops: Record<string, unknown>[], checkers: unknown[]): void => {
        mkdirSync(dir);
        writeFileSync(
          join(dir, "history.jsonl"),
          ops.map((o, index) => JSON.stringify({ index, time: (index + 1) * 10 * ms, ...o })).join("\n") +
            "\n",
        );
        writeFileSync(join(dir, "config.json"), JSON.stringify({ testName: "views", seed: 1, checkers }));
      };
      // A register that read 2 after 1 was written and nothing else: no order explains it.
      write(
        join(root, "register"),
        [
          { process: 0, type: "invoke", f: "write", key: "k", value: 1 },
          { process: 0, type: "ok", f: "write", key: "k", value: 1 },
          { process: 1, type: "invoke", f: "read", key: "k", value: null },
          { process: 1, type: "ok", f: "read", key: "k", value: 2 },
        ],
        [{ name: "linearizable", options: { model: "register" } }],
      );
      // G1c: each transaction read the other's append.
      write(
        join(root, "cycle"),
        [
          {
            process: 0,
            type: "invoke",
            f: "txn",
            value: [
              ["append", "x", 1],
              ["r", "y", null],
            ],
          },
          {
            process: 1,
            type: "invoke",
            f: "txn",
            value: [
              ["append", "y", 1],
              ["r", "x", null],
            ],
          },
          {
            process: 0,
            type: "ok",
            f: "txn",
            value: [
              ["append", "x", 1],
              ["r", "y", [1]],
            ],
          },
          {
            process: 1,
            type: "ok",
            f: "txn",
            value: [
              ["append", "y", 1],
              ["r", "x", [1]],
            ],
          },
        ],
        [{ name: "list-append" }],
      );
      await using browser = await launchChromium();
      for (const [name, selector] of [
        ["register", "svg.lanes rect"],
        ["cycle", "svg.cycle-graph circle"],
      ] as const) {
        const r = await runFaultline(["check", join(root, name)]);
        expect(r.code, r.stderr).toBe(1);
        const { page, errors } = await browser.open(join(root, name, "report.html"));
        await rendered(page);
        expect(await page.locator(selector).count()).toBeGreaterThanOrEqual(2);
        await screenshot(page, ROOT, `report-browser/${name}.png`);
        expect(errors).toEqual([]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
