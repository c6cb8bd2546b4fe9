import type { Command } from "commander";
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { CheckResult, ComposedResult } from "../../../checkers/core/index.js";
import { fromJepsenEdn, readHistory, toJepsenEdn } from "../../../checkers/history/index.js";
import type { History } from "../../../checkers/history/index.js";
import type { CheckerSpec, PreparedChecker } from "../../../checkers/registry/index.js";
import { checkerNames, findChecker, prepareCheckers, runCheckers } from "../../../checkers/registry/index.js";
import { ExitCode, InputError } from "../../errors/index.js";
import type { RunResultsDocument } from "../../results/index.js";
import { readJsonObject } from "../../run-store/index.js";
import { parseDuration, setExitCode } from "../program.js";

/** The linearizability checker's registry name: `--model` is its option. */
const LINEARIZABLE = "linearizable";
/** Anomalies printed per checker; results.json has them all. */
const SHOWN = 20;

interface CheckFlags {
  checker?: string;
  model?: string;
  json?: string;
  junit?: string;
  edn?: string;
  timeLimit?: string;
}

/**
 * Registers `faultline check <run-dir | history.jsonl | history.edn>`: reads the history (streaming, every line
 * validated), runs the checkers named by `--checker` (or, for a run directory or the `history.jsonl` inside one,
 * its `config.json`'s `checkers`), composes the verdicts (worst wins), prints a summary with every anomaly
 * explained and writes the JSON results (`results.json` in a run directory, or `--json <file>`). Exit 0 valid, 1
 * invalid, 2 unknown; 254 for a malformed history, an unknown checker or a bad flag, naming the line, field or flag.
 *
 * @example
 * faultline check store/latest
 * faultline check history.jsonl --checker set-full,stats --json out.json
 * faultline check etcd.jsonl --model cas-register
 * faultline check store/latest --edn history.edn   # for Jepsen's tools
 */
export function registerCheckCommand(program: Command): Command {
  const cmd = program
    .command("check")
    .argument("<target>", "a run directory, a history.jsonl, or a Jepsen history.edn")
    .description(
      "check a recorded history with faultline's checkers and print the verdict, anomalies explained",
    )
    .option("--checker <names>", `comma-separated checkers (${checkerNames().join(", ")})`)
    .option("--model <model>", `model for the ${LINEARIZABLE} checker (implies --checker ${LINEARIZABLE})`)
    .option(
      "--json <file>",
      "write the JSON results there (default: results.json in a run directory; - for stdout)",
    )
    .option(
      "--junit <file>",
      "also write JUnit XML there (a run directory gets junit.xml and report.html anyway)",
    )
    .option(
      "--edn <file>",
      "also write the history as Jepsen's history.edn (one op map per line) there, for Jepsen's and Elle's tools",
    )
    .option(
      "--time-limit <duration>",
      "time budget per checker, e.g. 30s; past it a checker answers unknown",
    );
  cmd.addHelpText("after", `\n${checkerHelp()}`);
  cmd.action(async (target: string, flags: CheckFlags) => {
    const { historyPath, configPath, runDir } = locate(target);
    const specs = checkerSpecs(flags, configPath);
    const prepared = prepareCheckers(specs, (i) =>
      flags.checker || flags.model ? "--checker" : `${configPath} checkers[${i}]`,
    );
    const { history, summary } = await loadHistory(historyPath);
    const composed = runCheckers(prepared, history);
    const out = flags.json ?? (runDir ? join(runDir, "results.json") : undefined);
    // Loaded here: registering `check` (which every faultline process does) stays free of the report code.
    const results = await import("../../results/index.js");
    // One results.json shape for `run` and `check` (harness/results): a run's own fields (seed, run id, final
    // phase) are kept from the file it replaces.
    const previous = out === undefined || out === "-" ? undefined : readJsonObject(out);
    const fields = {
      ...results.runFieldsOf(previous),
      checkers: prepared.map((p) => ({ label: p.label, name: p.definition.name, options: p.options })),
    };
    const info = historyInfo(summary);
    const doc = results.runResults({ ...fields, composed, history, historyInfo: info });
    // With --json - the JSON goes to stdout, so the summary goes to stderr.
    (out === "-" ? process.stderr : process.stdout).write(
      render(summary, prepared, composed, doc.completeness.missing),
    );
    if (out === "-") {
      process.stdout.write(`${JSON.stringify(results.boundedResults(doc, undefined), null, 2)}\n`);
    } else if (runDir !== undefined && out === join(runDir, "results.json")) {
      // A run directory's results.json, report and JUnit file are rewritten together.
      const paths = results.writeRunArtifacts({
        // The real directory (not `store/latest`), as the report and junit.xml name it.
        runDir: realpathSync(runDir),
        history,
        results: { ...fields, ...composed, history: info },
        ...(configPath ? { config: readJsonObject(configPath) } : {}),
      });
      process.stdout.write(`results: ${out}\nreport: ${paths.report}\njunit: ${paths.junit}\n`);
    } else if (out !== undefined) {
      try {
        results.writeRunResults(out, doc);
      } catch (err) {
        throw new InputError("BAD_FLAG", `--json: cannot write ${out}: ${(err as Error).message}`);
      }
      process.stdout.write(`results: ${out}\n`);
    }
    if (flags.junit !== undefined) await writeJunit(flags.junit, history, doc, historyPath);
    if (flags.edn !== undefined) {
      writeFileSync(flags.edn, toJepsenEdn(history));
      process.stdout.write(`edn: ${flags.edn}\n`);
    }
    setExitCode(
      cmd,
      doc.valid === true ? ExitCode.Valid : doc.valid === false ? ExitCode.Invalid : ExitCode.Unknown,
    );
  });
  return cmd;
}

function locate(target: string): { historyPath: string; configPath?: string; runDir?: string } {
  if (!existsSync(target)) {
    throw new InputError("BAD_ARGUMENT", `<target>: no such file or directory: ${target}`, {
      hint: "pass a run directory (e.g. store/latest) or the path of a history.jsonl",
    });
  }
  if (!statSync(target).isDirectory()) {
    // A run directory's history.jsonl is judged by the checkers its config.json names (results.json is left
    // alone: only a run directory target, or --json, writes results).
    const sibling = join(dirname(target), "config.json");
    return {
      historyPath: target,
      ...(basename(target) === "history.jsonl" && existsSync(sibling) ? { configPath: sibling } : {}),
    };
  }
  const historyPath = join(target, "history.jsonl");
  if (!existsSync(historyPath)) {
    throw new InputError("BAD_ARGUMENT", `<target>: ${target} is a directory without a history.jsonl`, {
      hint: "a run directory holds config.json and history.jsonl",
    });
  }
  const configPath = join(target, "config.json");
  return { historyPath, runDir: target, ...(existsSync(configPath) ? { configPath } : {}) };
}

function checkerSpecs(flags: CheckFlags, configPath: string | undefined): CheckerSpec[] {
  const timeLimit =
    flags.timeLimit === undefined ? {} : { timeLimitMs: parseDuration("--time-limit", flags.timeLimit) };
  let specs: CheckerSpec[];
  if (flags.checker !== undefined) {
    const names = flags.checker.split(",").map((s) => s.trim());
    if (names.some((n) => n.length === 0)) {
      throw new InputError(
        "BAD_FLAG",
        `--checker must be comma-separated checker names, got ${JSON.stringify(flags.checker)}`,
      );
    }
    specs = names.map((name) => ({ name }));
  } else if (flags.model !== undefined) {
    specs = [{ name: LINEARIZABLE }];
  } else if (configPath !== undefined) {
    specs = configCheckers(configPath);
  } else {
    throw new InputError("BAD_FLAG", `name the checkers with --checker (${checkerNames().join(", ")})`, {
      hint: "a run directory's config.json names its checkers (also for its history.jsonl); a bare history file does not",
    });
  }
  if (flags.model !== undefined) {
    if (!findChecker(LINEARIZABLE)) {
      throw new InputError(
        "BAD_FLAG",
        `--model needs the ${LINEARIZABLE} checker, which is not registered in this build (checkers: ${checkerNames().join(", ")})`,
      );
    }
    if (!specs.some((s) => s.name === LINEARIZABLE)) {
      throw new InputError(
        "BAD_FLAG",
        `--model is an option of the ${LINEARIZABLE} checker, which --checker does not name`,
      );
    }
    specs = specs.map((s) =>
      s.name === LINEARIZABLE ? { ...s, options: { ...s.options, model: flags.model } } : s,
    );
  }
  return specs.map((s) => {
    const accepts = "timeLimitMs" in (findChecker(s.name)?.optionSpecs ?? {});
    return accepts ? { ...s, options: { ...s.options, ...timeLimit } } : s;
  });
}

function configCheckers(configPath: string): CheckerSpec[] {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(configPath, "utf8"));
  } catch (err) {
    throw new InputError("BAD_CONFIG", `${configPath}: not readable JSON (${(err as Error).message})`);
  }
  const list = (config as { checkers?: unknown } | null)?.checkers;
  if (list === undefined) {
    throw new InputError(
      "BAD_CONFIG",
      `${configPath} names no checkers; pass --checker (${checkerNames().join(", ")})`,
    );
  }
  if (!Array.isArray(list))
    throw new InputError("BAD_CONFIG", `${configPath}: field "checkers" must be an array`);
  return list.map((c: unknown, i) => {
    const name = (c as { name?: unknown } | null)?.name;
    if (typeof name !== "string") {
      throw new InputError("BAD_CONFIG", `${configPath}: field "checkers[${i}].name" must be a checker name`);
    }
    const options = (c as { options?: unknown }).options;
    return options === undefined ? { name } : { name, options: options as Record<string, unknown> };
  });
}

interface HistorySummary {
  path: string;
  ops: number;
  incomplete: number;
  truncatedLine?: number;
}

async function loadHistory(path: string): Promise<{ history: History; summary: HistorySummary }> {
  if (path.endsWith(".edn")) {
    const history = fromJepsenEdn(readFileSync(path, "utf8"), path);
    return { history, summary: { path, ops: history.length, incomplete: 0 } };
  }
  const parsed = await readHistory(path, { source: path });
  const summary: HistorySummary = { path, ops: parsed.history.length, incomplete: parsed.incomplete };
  if (parsed.truncated) summary.truncatedLine = parsed.truncated.line;
  return { history: parsed.history, summary };
}

const VERDICT = (v: CheckResult["valid"]): string =>
  v === true ? "valid" : v === false ? "INVALID" : "unknown";

/** The human summary: the history, then per checker its verdict, its counts and its anomalies explained. */
function render(
  h: HistorySummary,
  prepared: PreparedChecker[],
  composed: ComposedResult,
  missing: readonly string[],
): string {
  const lines = [`history ${h.path}: ${h.ops} ops`];
  if (h.incomplete > 0) lines[0] += `, ${h.incomplete} invoke(s) never completed (counted as info)`;
  if (h.truncatedLine !== undefined)
    lines.push(`  line ${h.truncatedLine} was cut short (crashed writer) and skipped`);
  const width = Math.max(...prepared.map((p) => p.label.length));
  for (const p of prepared) {
    const r = composed.results[p.label];
    lines.push(`${p.label.padEnd(width)}  ${VERDICT(r.valid).padEnd(7)}  ${counts(r)}`.trimEnd());
    if (r.valid === "unknown") lines.push(`  reason: ${r.reason}`);
    if (r.valid === false) {
      for (const a of r.anomalies.slice(0, SHOWN)) lines.push(`  ${a.kind}: ${a.explanation}`);
      if (r.anomalies.length > SHOWN)
        lines.push(`  … and ${r.anomalies.length - SHOWN} more anomalies in the JSON results`);
    }
  }
  // An incomplete run is never valid: at best unknown, whatever the checkers said.
  const valid = missing.length > 0 && composed.valid === true ? "unknown" : composed.valid;
  for (const m of missing) lines.push(`incomplete run: ${m}`);
  const code = valid === true ? 0 : valid === false ? 1 : 2;
  lines.push(`verdict: ${VERDICT(valid)} (exit ${code})`);
  return `${lines.join("\n")}\n`;
}

/** The result's top-level numbers, e.g. `lost 3, stable 997` (fields named `…Count` lose the suffix). */
function counts(r: CheckResult): string {
  return Object.entries(r)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => `${k.replace(/Count$/, "")} ${v as number}`)
    .join(", ");
}

/** The history's summary as `results.json` records it. */
function historyInfo(h: HistorySummary): {
  path: string;
  ops: number;
  incomplete: number;
  truncatedLine?: number;
} {
  return {
    path: h.path,
    ops: h.ops,
    incomplete: h.incomplete,
    ...(h.truncatedLine ? { truncatedLine: h.truncatedLine } : {}),
  };
}

/** `--junit <file>`: the verdict as JUnit XML, one test case per checker. */
async function writeJunit(
  file: string,
  history: History,
  doc: RunResultsDocument,
  historyPath: string,
): Promise<void> {
  const { buildReportData } = await import("../../report/index.js");
  const { junitRunOf, junitXml } = await import("../../results/index.js");
  const data = buildReportData({
    history,
    results: doc.results,
    valid: doc.valid,
    missing: doc.completeness.missing,
    title: historyPath,
    runDir: dirname(resolve(historyPath)),
    seed: 0,
  });
  const suite = {
    ...junitRunOf(data, doc),
    name: basename(historyPath),
  };
  delete suite.properties;
  try {
    writeFileSync(file, junitXml("faultline", [suite]));
  } catch (err) {
    throw new InputError("BAD_FLAG", `--junit: cannot write ${file}: ${(err as Error).message}`);
  }
  process.stdout.write(`junit: ${file}\n`);
}

function checkerHelp(): string {
  return `Checkers:\n${checkerNames()
    .map((n) => `  ${n.padEnd(14)} ${findChecker(n)?.description ?? ""}`)
    .join("\n")}`;
}
