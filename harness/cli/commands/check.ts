import type { Command } from "commander";
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { CheckResult, ComposedResult } from "../../../checkers/core/index.js";
import {
  SEMANTICS,
  fromJepsenEdn,
  isSemantics,
  readHistory,
  semanticsOfFile,
  toJepsenEdn,
} from "../../../checkers/history/index.js";
import type { History, Semantics } from "../../../checkers/history/index.js";
import { createModel, isModelName, ModelInputError } from "../../../checkers/linearizable/index.js";
import { CONSISTENCY_MODELS } from "../../../checkers/list-append/index.js";
import type { CheckerSpec, PreparedChecker } from "../../../checkers/registry/index.js";
import { checkerNames, findChecker, prepareCheckers, runCheckers } from "../../../checkers/registry/index.js";
import { ExitCode, InputError } from "../../../core/errors/index.js";
import type { RunResultsDocument } from "../../results/index.js";
import type { FaultAccount } from "../../../nemesis/execute/index.js";
import { readJsonObject } from "../../../core/run-store/index.js";
import { parseDuration } from "../parse-duration.js";
import { setExitCode } from "../set-exit-code.js";

/** The linearizability checker's registry name: `--model` and `--initial` are its options. */
const LINEARIZABLE = "linearizable";
/** The list-append checker's registry name: `--consistency-model` is its option `model`. */
const LIST_APPEND = "list-append";
/** Anomalies printed per checker; results.json has them all. */
const SHOWN = 20;

interface CheckFlags {
  checker?: string;
  model?: string;
  initial?: string;
  semantics?: string;
  consistencyModel?: string;
  json?: string;
  junit?: string;
  edn?: string;
  timeLimit?: string;
  workers?: string;
}

/**
 * Registers `faultline check <run-dir | history.jsonl | history.edn>`: reads the history (streaming, every line
 * validated), runs the checkers named by `--checker` (or, for a run directory or the `history.jsonl` inside one,
 * its `config.json`'s `checkers`), composes the verdicts (worst wins), prints a summary with every anomaly
 * explained and writes the JSON results (`results.json` in a run directory, or `--json <file>`). Exit 0 valid, 1
 * invalid, 2 unknown; 254 for a malformed history, an unknown checker or a bad flag, naming the line, field or flag.
 *
 * A history is read with the semantics its format carries (README, "Checking a history"): an `.edn` file with
 * Jepsen's (a `fail` had no effect and observed nothing; a register read of `nil` is unknown), everything else
 * with faultline's; `--semantics` overrides it.
 *
 * @example
 * faultline check store/latest
 * faultline check history.jsonl --checker set-full,stats --json out.json
 * faultline check etcd.jsonl --model cas-register
 * faultline check memstress3-0.edn --model cas-register --initial 0      # as Knossos's tests check it
 * faultline check elle.edn --checker list-append --consistency-model snapshot-isolation
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
      "--initial <json>",
      `the model's initial state as JSON, e.g. 0 or '{"x": 0}' (implies --checker ${LINEARIZABLE})`,
    )
    .option(
      "--consistency-model <name>",
      `consistency model for the ${LIST_APPEND} checker, Elle's names (${CONSISTENCY_MODELS.join(", ")}; ` +
        `implies --checker ${LIST_APPEND})`,
    )
    .option(
      "--semantics <name>",
      "how ops are read: jepsen (a fail had no effect and observed nothing; a register read of nil is unknown) " +
        "or faultline (a cas fail without error observed a mismatch); default: jepsen for .edn, faultline otherwise",
    )
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
    .option("--time-limit <duration>", "time budget per checker, e.g. 30s; past it a checker answers unknown")
    .option(
      "--workers <n>",
      "worker threads the linearizable checker may search keys on (default: min(2, cores); 1: none)",
    );
  cmd.addHelpText("after", `\n${checkerHelp()}`);
  cmd.action(async (target: string, flags: CheckFlags) => {
    const { historyPath, configPath, runDir } = locate(target);
    const semantics = semanticsFlag(flags.semantics) ?? semanticsOfFile(historyPath);
    const specs = checkerSpecs(flags, configPath, semantics);
    const fromFlags = [flags.checker, flags.model, flags.initial, flags.consistencyModel].some(
      (f) => f !== undefined,
    );
    const prepared = prepareCheckers(specs, (i) =>
      fromFlags ? "--checker" : `${configPath} checkers[${i}]`,
    );
    const { history, summary } = await loadHistory(historyPath, semantics);
    const composed = runCheckers(prepared, history);
    const out = flags.json ?? (runDir ? join(runDir, "results.json") : undefined);
    // Loaded here: registering `check` (which every faultline process does) stays free of the report code.
    const results = await import("../../results/index.js");
    // One results.json shape for `run` and `check` (harness/results): a run's own fields (seed, run id, final
    // phase) are kept from the file it replaces.
    const previous = out === undefined || out === "-" ? undefined : readJsonObject(out);
    const fields = {
      ...results.runFieldsOf(previous),
      ...(configPath ? await faultFields(configPath, history) : {}),
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

function checkerSpecs(
  flags: CheckFlags,
  configPath: string | undefined,
  semantics: Semantics,
): CheckerSpec[] {
  const timeLimit =
    flags.timeLimit === undefined ? {} : { timeLimitMs: parseDuration("--time-limit", flags.timeLimit) };
  const workers = flags.workers === undefined ? {} : { workers: workersFlag(flags.workers) };
  // Each flag that is a checker's option, and that checker's options from it.
  const linearizable: Record<string, unknown> = {};
  if (flags.model !== undefined) linearizable.model = flags.model;
  if (flags.initial !== undefined) linearizable.initial = initialFlag(flags.initial, flags.model);
  const listAppend: Record<string, unknown> = {};
  if (flags.consistencyModel !== undefined) listAppend.model = consistencyFlag(flags.consistencyModel);
  const implied = [
    ...(Object.keys(linearizable).length > 0 ? [LINEARIZABLE] : []),
    ...(Object.keys(listAppend).length > 0 ? [LIST_APPEND] : []),
  ];
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
  } else if (implied.length > 0) {
    specs = implied.map((name) => ({ name }));
  } else if (configPath !== undefined) {
    specs = configCheckers(configPath);
  } else {
    throw new InputError("BAD_FLAG", `name the checkers with --checker (${checkerNames().join(", ")})`, {
      hint:
        "a run directory's config.json names its checkers (also for its history.jsonl); a bare history file does not " +
        "(e.g. --model cas-register, or --checker list-append)",
    });
  }
  specs = withFlagOptions(
    specs,
    LINEARIZABLE,
    linearizable,
    flags.model !== undefined ? "--model" : "--initial",
  );
  specs = withFlagOptions(specs, LIST_APPEND, listAppend, "--consistency-model");
  return specs.map((s) => {
    const accepted = findChecker(s.name)?.optionSpecs ?? {};
    const options = { ...s.options };
    if ("timeLimitMs" in accepted) Object.assign(options, timeLimit);
    if ("workers" in accepted) Object.assign(options, workers);
    // The history's semantics, for the checkers that read ops differently under each; --semantics wins over config.
    if ("semantics" in accepted && (flags.semantics !== undefined || options.semantics === undefined)) {
      options.semantics = semantics;
    }
    return Object.keys(options).length === 0 ? { name: s.name } : { ...s, options };
  });
}

/** Merges options given by flags into the specs of checker `name`, which must be among them. */
function withFlagOptions(
  specs: CheckerSpec[],
  name: string,
  options: Record<string, unknown>,
  flag: string,
): CheckerSpec[] {
  if (Object.keys(options).length === 0) return specs;
  if (!findChecker(name)) {
    throw new InputError(
      "BAD_FLAG",
      `${flag} needs the ${name} checker, which is not registered in this build (checkers: ${checkerNames().join(", ")})`,
    );
  }
  if (!specs.some((s) => s.name === name)) {
    throw new InputError(
      "BAD_FLAG",
      `${flag} is an option of the ${name} checker, which --checker does not name`,
    );
  }
  return specs.map((s) => (s.name === name ? { ...s, options: { ...s.options, ...options } } : s));
}

/** `--semantics`: jepsen or faultline, or undefined when not given. */
function semanticsFlag(value: string | undefined): Semantics | undefined {
  if (value === undefined) return undefined;
  if (isSemantics(value)) return value;
  throw new InputError(
    "BAD_FLAG",
    `--semantics must be one of ${SEMANTICS.join(", ")}, got ${JSON.stringify(value)}`,
    {
      hint: "jepsen for Jepsen's, Knossos's and Elle's histories; faultline for faultline's own runs",
    },
  );
}

/** `--initial`: JSON that fits the model (checked now, so a typo exits 254 before any checking). */
function initialFlag(text: string, model: string | undefined): unknown {
  let initial: unknown;
  try {
    initial = JSON.parse(text);
  } catch (err) {
    throw new InputError(
      "BAD_FLAG",
      `--initial must be JSON, got ${JSON.stringify(text)} (${(err as Error).message})`,
      {
        hint: `e.g. --initial 0, --initial '"abc"', --initial '{"x": 0, "y": 0}'`,
      },
    );
  }
  const name = model ?? String(findChecker(LINEARIZABLE)?.defaultOptions.model);
  if (isModelName(name)) {
    try {
      createModel(name, { initial });
    } catch (err) {
      if (err instanceof ModelInputError) throw new InputError("BAD_FLAG", `--initial: ${err.message}`);
      throw err;
    }
  }
  return initial;
}

/** `--workers`: a whole number of threads, at least 1. */
function workersFlag(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InputError("BAD_FLAG", `--workers must be a whole number ≥ 1, got ${JSON.stringify(text)}`, {
      hint: "e.g. --workers 1 to check in one thread",
    });
  }
  return n;
}

/** `--consistency-model`: one of the list-append checker's consistency models (Elle's names). */
function consistencyFlag(name: string): string {
  if ((CONSISTENCY_MODELS as readonly string[]).includes(name)) return name;
  throw new InputError(
    "BAD_FLAG",
    `--consistency-model must be one of ${CONSISTENCY_MODELS.join(", ")}, got ${JSON.stringify(name)}`,
    { hint: "Elle's names for the consistency models, weakest first" },
  );
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
  /** How its ops are read (README, "Checking a history"). */
  semantics: Semantics;
  truncatedLine?: number;
}

async function loadHistory(
  path: string,
  semantics: Semantics,
): Promise<{ history: History; summary: HistorySummary }> {
  if (path.toLowerCase().endsWith(".edn")) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      throw new InputError("HISTORY_UNREADABLE", `cannot read ${path}: ${(err as Error).message}`, {
        hint: "pass a Jepsen, Knossos or Elle history in EDN (.edn), a history.jsonl or a run directory",
        cause: err,
      });
    }
    const history = fromJepsenEdn(text, path);
    return { history, summary: { path, ops: history.length, incomplete: 0, semantics } };
  }
  const parsed = await readHistory(path, { source: path });
  const summary: HistorySummary = {
    path,
    ops: parsed.history.length,
    incomplete: parsed.incomplete,
    semantics,
  };
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
  const lines = [
    `history ${h.path}: ${h.ops} ops, read with ${h.semantics === "jepsen" ? "Jepsen's" : "faultline's"} semantics`,
  ];
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
  semantics: string;
  truncatedLine?: number;
} {
  return {
    path: h.path,
    ops: h.ops,
    incomplete: h.incomplete,
    semantics: h.semantics,
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

/**
 * A run's fault account, judged again from its history and the schedule its `config.json` holds (so a run whose
 * harness died before writing `results.json` gets one too), and whether the run required every fault. Nothing
 * when the config holds no usable schedule.
 */
async function faultFields(
  configPath: string,
  history: History,
): Promise<{ faults?: FaultAccount; requireFaults?: boolean }> {
  const config = readJsonObject(configPath);
  if (!config || config.schedule === undefined) return {};
  const { parseSchedule } = await import("../../../nemesis/schedule/index.js");
  const { accountFaults } = await import("../../../nemesis/execute/index.js");
  let schedule;
  try {
    schedule = parseSchedule(config.schedule, { source: configPath });
  } catch {
    return {};
  }
  return {
    faults: accountFaults(history, schedule),
    ...(config.requireFaults === true ? { requireFaults: true } : {}),
  };
}
