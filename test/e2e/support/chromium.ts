/**
 * Debian's Chromium driven by playwright-core, for the report's browser tests and benchmark: a fresh profile
 * directory per browser, no network (the context is offline and background networking is off; every request
 * that is not a `file:` or `data:` URL is recorded), console errors and page errors collected. Closing removes
 * the profile; nothing is left running.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM = "/usr/bin/chromium";

/** The flags every launch uses: headless, no sandbox (CI runs as root), nothing that talks to the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A page opened from disk, and what it did. */
export interface OpenedPage {
  page: Page;
  /** `console.error` messages and uncaught exceptions. */
  errors: string[];
  /** URLs the page tried to fetch that were not `file:` or `data:` URLs (all fail: the context is offline). */
  blocked: string[];
}

/** A running Chromium with a fresh profile; `close()` (or `await using`) quits it and removes the profile. */
export interface Chromium extends AsyncDisposable {
  context: BrowserContext;
  /** Opens `file` (a path) in a new page, after wiring error collection and the network block. */
  open(file: string, options?: { viewport?: { width: number; height: number } }): Promise<OpenedPage>;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with a fresh `--user-data-dir`.
 *
 * @example
 * await using browser = await launchChromium();
 * const { page, errors } = await browser.open("store/latest/report.html");
 */
export async function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), "faultline-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      offline: true,
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= context.close().finally(() => rmSync(profile, { recursive: true, force: true }));
    return closed;
  };
  return {
    context,
    async open(file, options = {}) {
      const page = await context.newPage();
      if (options.viewport) await page.setViewportSize(options.viewport);
      const errors: string[] = [];
      const blocked: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (err) => errors.push(String(err)));
      // The context is offline, so such a request fails anyway; it is recorded here so a test can say which.
      // (No request interception: it would slow every file load down and distort the render timings.)
      page.on("request", (r) => {
        const url = r.url();
        if (!url.startsWith("file:") && !url.startsWith("data:")) blocked.push(url);
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      return { page, errors, blocked };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Saves a full-page screenshot under `test-artifacts/` (git-ignored) and returns its path. */
export async function screenshot(page: Page, root: string, name: string): Promise<string> {
  const path = join(root, "test-artifacts", name);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * How many pixels of each canvas on the page differ from the canvas's first pixel (a blank canvas scores 0),
 * keyed by the id of the nearest element with an id.
 */
export async function canvasInk(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    document.querySelectorAll("canvas").forEach((c, i) => {
      const ctx = c.getContext("2d");
      if (!ctx || c.width === 0 || c.height === 0) return;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let p = 4; p < px.length; p += 4) {
        if (px[p] !== px[0] || px[p + 1] !== px[1] || px[p + 2] !== px[2] || px[p + 3] !== px[3]) ink++;
      }
      const id = c.closest("[id]")?.id ?? `canvas-${i}`;
      out[out[id] === undefined ? id : `${id}-${i}`] = ink;
    });
    return out;
  });
}
