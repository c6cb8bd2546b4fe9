import { escapeHtml as e, renderPage, verdictClass, verdictText } from "../report/index.js";
import type { StoreIndex } from "./store-index.js";

/** `/files/<path>` with each segment percent-encoded. */
export function fileUrl(path: string): string {
  return `/files/${path.split("/").map(encodeURIComponent).join("/")}`;
}

function badge(v: boolean | "unknown" | null): string {
  return v === null
    ? `<span class="verdict v-none" title="no results.json: running, or the harness died before checking">no verdict</span>`
    : `<span class="verdict ${verdictClass(v)}">${verdictText(v)}</span>`;
}

/**
 * The results browser's front page: campaigns, then runs, newest first, each with its verdict and links to its
 * report and files. A plain page (no script).
 */
export function renderStoreIndex(index: StoreIndex, storeDir: string): string {
  const campaigns = index.campaigns
    .map(
      (c) =>
        `<tr><td>${c.report ? `<a href="${e(fileUrl(`${c.path}/report.html`))}">${e(c.name)}</a>` : e(c.name)}</td><td>${e(c.stamp)}</td><td>${badge(c.valid)}${c.finished ? "" : " (running or stopped)"}</td><td class="num">${c.runs}</td><td><a href="${e(fileUrl(`${c.path}/results.json`))}">results.json</a> · <a href="${e(fileUrl(`${c.path}/junit.xml`))}">junit.xml</a></td></tr>`,
    )
    .join("\n");
  const runs = index.runs
    .map((r) => {
      const link = (file: string, ok: boolean): string =>
        ok ? `<a href="${e(fileUrl(`${r.path}/${file}`))}">${e(file)}</a>` : "";
      const name = r.files.report
        ? `<a href="${e(fileUrl(`${r.path}/report.html`))}">${e(r.testName)}</a>`
        : e(r.testName);
      const marks = [
        ...(r.interrupted ? [`<span class="mark">interrupted</span>`] : []),
        ...(r.incomplete
          ? [`<span class="mark" title="${e(r.incomplete.join("; "))}">incomplete</span>`]
          : []),
      ].join(" ");
      return `<tr><td>${name}</td><td>${e(r.stamp)}</td><td>${badge(r.valid)}${marks ? ` ${marks}` : ""}</td><td>${e(r.workload ?? "")}</td><td>${e(r.nemesis ?? "")}</td><td>${e(r.replication ?? "")}</td><td class="num">${r.seed ?? ""}</td><td>${e(r.campaign ?? "")}</td><td>${[link("results.json", r.files.results), link("junit.xml", r.files.junit), link("history.jsonl", r.files.history)].filter(Boolean).join(" · ")}</td></tr>`;
    })
    .join("\n");
  const body = `<h1>faultline results</h1>
<p class="meta">Store <code>${e(storeDir)}</code> · ${index.campaigns.length} campaign(s), ${index.runs.length} run(s) · <a href="/api/index.json">index.json</a></p>
<h2>Campaigns</h2>
${index.campaigns.length === 0 ? `<p class="note">No campaign yet: <code>faultline campaign examples/campaign.yaml</code></p>` : `<table><tr><th>campaign</th><th>started</th><th>verdict</th><th>runs</th><th>files</th></tr>${campaigns}</table>`}
<h2>Runs</h2>
${index.runs.length === 0 ? `<p class="note">No run yet: <code>faultline run --nemesis partition-leader</code></p>` : `<table><tr><th>test</th><th>started</th><th>verdict</th><th>workload</th><th>nemesis</th><th>replication</th><th>seed</th><th>campaign</th><th>files</th></tr>${runs}</table>`}
`;
  return renderPage({ title: "faultline results", body });
}
