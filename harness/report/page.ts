import { createHash } from "node:crypto";
import { escapeHtml as e } from "./escape-html.js";
import { jsonForScript } from "./safe-json.js";
import { REPORT_CSS } from "./report-styles.js";
import { uplotAssets } from "./uplot-assets.js";

/** What {@link renderPage} puts around a body. */
export interface PageOptions {
  title: string;
  /** The body's HTML (already escaped where it holds data). */
  body: string;
  /** Data for the page script, embedded as JSON in `#faultline-data`. */
  data?: unknown;
  /** The page script (run after uPlot is defined); none means a page without script. */
  script?: string;
  /** Whether to inline uPlot (its script and stylesheet). */
  uplot?: boolean;
}

const sha256 = (text: string): string =>
  `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * A self-contained HTML page: inline styles, inline scripts allowed only by their hashes in a
 * Content-Security-Policy that also forbids every network fetch (`default-src 'none'`), so a string from a
 * history that escaped escaping still could not run or load anything. Data goes in a JSON block that is never
 * executed, escaped by {@link jsonForScript}.
 *
 * @example
 * writeFileSync("report.html", renderPage({ title: "set", body: "<h1>…</h1>", data, script, uplot: true }));
 */
export function renderPage(o: PageOptions): string {
  const scripts: string[] = [];
  const css = [REPORT_CSS];
  if (o.uplot) {
    const u = uplotAssets();
    scripts.push(u.js);
    css.unshift(u.css);
  }
  if (o.script) scripts.push(o.script);
  for (const s of scripts) {
    // A script's text cannot be escaped; it must simply never contain its own end tag.
    if (/<\/script/i.test(s)) throw new Error("an inline script contains </script>");
  }
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src data:",
    scripts.length > 0 ? `script-src ${scripts.map(sha256).join(" ")}` : "script-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${e(o.title)}</title>
<style>${css.join("\n")}</style>
</head><body>
${o.body}
${o.data === undefined ? "" : `<script type="application/json" id="faultline-data">${jsonForScript(o.data)}</script>`}
${scripts.map((s) => `<script>${s}</script>`).join("\n")}
</body></html>
`;
}
