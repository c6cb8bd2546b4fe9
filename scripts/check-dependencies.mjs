#!/usr/bin/env node
// `npm run deps:check` (part of `npm test`): no import cycle in faultline's sources. dependency-cruiser cruises
// the sources with the rules of .dependency-cruiser.mjs (module cycles, and cycles between the folders that hold
// modules); then, from the same module graph, every folder's children must import each other without a cycle,
// the top-level folders included (scripts/folder-cycles.ts). Exit 0 when clean, 1 otherwise.
// Run with tsx (it imports a .ts module): `tsx scripts/check-dependencies.mjs`.
import { existsSync } from "node:fs";
import { cruise, format } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { knownFolderCycles } from "../.dependency-cruiser.mjs";
import { compareWithKnown, describeCycles, folderCycles } from "./folder-cycles.ts";

/** The shipped sources (tests, scripts and examples may import anything). */
const ROOTS = ["index.ts", "harness", "nemesis", "checkers", "workloads", "stores"].filter((p) =>
  existsSync(p),
);

const options = await extractDepcruiseOptions("./.dependency-cruiser.mjs");
const { output } = await cruise(ROOTS, options, {}, { tsConfig: extractTSConfig("tsconfig.json") });
if (typeof output === "string")
  throw new Error("dependency-cruiser returned text where a cruise result was expected");

let failed = false;
const rules = await format(output, { outputType: "err" });
if (rules.exitCode !== 0) {
  failed = true;
  process.stdout.write(rules.output);
}

/** Whether a resolved path is one of ours (not a package, not Node's, not outside the repository). */
const ours = (path) => !path.startsWith("..") && !path.startsWith("/") && !/(^|\/)node_modules\//.test(path);
const edges = [];
for (const m of output.modules) {
  if (m.coreModule || !ours(m.source)) continue;
  for (const d of m.dependencies) {
    if (!d.coreModule && !d.couldNotResolve && ours(d.resolved))
      edges.push({ from: m.source, to: d.resolved });
  }
}
const { fresh, stale } = compareWithKnown(folderCycles(edges), knownFolderCycles);
if (fresh.length > 0) {
  failed = true;
  process.stdout.write(`\nimport cycles between folders (${fresh.length}):\n${describeCycles(fresh)}\n`);
  process.stdout.write(
    "hint: move what both sides need into a module or folder both import, which imports neither\n",
  );
}
if (stale.length > 0) {
  failed = true;
  for (const k of stale) {
    process.stdout.write(
      `\nknown cycle no longer found, delete it from knownFolderCycles in .dependency-cruiser.mjs: ` +
        `${k.folder}: ${k.members.join(", ")}\n`,
    );
  }
}
if (!failed) {
  const known = knownFolderCycles.length;
  process.stdout.write(
    `no import cycles: ${output.summary.totalCruised} modules, ${output.summary.totalDependenciesCruised} imports` +
      (known > 0 ? ` (${known} known folder cycle${known === 1 ? "" : "s"} still allowed)` : "") +
      "\n",
  );
}
process.exit(failed ? 1 : 0);
