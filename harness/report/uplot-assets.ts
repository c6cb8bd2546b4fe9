import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

let cached: { js: string; css: string } | undefined;

/**
 * uPlot's minified script and stylesheet, read once from the installed package, to be inlined in every report
 * (a report opens from disk with no network).
 */
export function uplotAssets(): { js: string; css: string } {
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = {
      js: readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
      css: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    };
  }
  return cached;
}
