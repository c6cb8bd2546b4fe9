import type { z } from "zod";
import { readFileSync } from "node:fs";
import { InputError, isFaultlineError } from "../../core/errors/index.js";
import { assertReadableInput } from "../../core/user-paths/index.js";
import { planSchedule } from "../../nemesis/plan/index.js";
import { durationMs } from "../../core/index.js";
import { flagAttribute, flagName, RUN_FLAGS, type FlagSpec } from "./flags.js";
import { storeAdapter } from "../../stores/index.js";
import { RunConfigSchema, type ResolvedRunConfig } from "./schema.js";

/** Where a run configuration comes from: a config file's parsed content, and flag texts by commander attribute. */
export interface RunConfigSources {
  /**
   * A parsed config file (JSON or YAML) and its path, for messages. `bareDurations` says how a bare number in a
   * duration field reads: `"ms"` (the default: `config.json`, which faultline writes in ms, and the library's
   * `run()` options) or `"refused"` (a file a person wrote: `--time-limit 300` is 300 s, so `timeLimit: 300` would
   * be ambiguous, and is refused naming the field; `0` means the same in any unit and is accepted).
   */
  file?: { path: string; data: unknown; bareDurations?: "ms" | "refused" };
  /** Flag values as commander gives them (strings, or `true` for switches), keyed by attribute name. */
  flags?: Record<string, unknown>;
  /** Chooses the seed when none is given (injected so tests are deterministic). */
  freshSeed: () => number;
}

/**
 * Resolves a run configuration once, at the boundary (STYLE.md §10): file values, overridden by flags,
 * validated by {@link RunConfigSchema}, every default filled in, the seed chosen. Any problem throws one
 * {@link InputError} (exit 254) whose message names each bad flag (`--rate`) or field (`store.downAfter` in
 * `my.yaml`).
 *
 * @example
 * const config = resolveRunConfig({ flags: { timeLimit: "10s", nemesis: "kill-leader" }, freshSeed: () => 7 });
 * config.timeLimit; // 10000
 */
export function resolveRunConfig(sources: RunConfigSources): ResolvedRunConfig {
  const problems: string[] = [];
  const raw = structuredClone(fileObject(sources.file, problems));
  if (sources.file?.bareDurations === "refused")
    problems.push(...bareDurationProblems(raw, sources.file.path));
  const fromFlag = new Map<string, string>();
  for (const spec of RUN_FLAGS) {
    const attr = flagAttribute(spec);
    const text = sources.flags?.[attr];
    if (text === undefined) continue;
    const converted = convertFlag(spec, text);
    if ("error" in converted) {
      problems.push(`${flagName(spec)}: ${converted.error}`);
      continue;
    }
    setPath(raw, spec.field, converted.value);
    fromFlag.set(
      spec.field,
      spec.kind === "json-file" ? `${flagName(spec)} ${String(text)}` : flagName(spec),
    );
  }
  // The schema runs even when some flags did not convert, so every problem is reported at once (a flag that
  // did not convert is simply absent from what the schema sees).
  const parsed = RunConfigSchema.safeParse(raw);
  // A schedule sets the run's length; a time limit that says otherwise is a contradiction, not an override.
  if (parsed.success && parsed.data.schedule && raw.timeLimit !== undefined) {
    const { timeLimit, schedule } = parsed.data;
    if (timeLimit !== schedule.timeLimit) {
      problems.push(
        `${where("timeLimit", sources.file, fromFlag)}: the schedule lasts ${schedule.timeLimit} ms, not ${timeLimit} ms (leave the time limit out: the schedule sets it)`,
      );
    }
  }
  if (parsed.success && problems.length === 0) {
    const c = parsed.data;
    const { run: _run, checkers: _checkers, schedule: given, ...rest } = c;
    const adapter = storeAdapter(c.store.kind);
    const { replication, settings: store } = adapter.replication.reconcile(c.replication, c.store);
    const seed = c.seed ?? sources.freshSeed();
    const timeLimit = given?.timeLimit ?? c.timeLimit;
    const schedule = given ?? planSchedule({ ...c, seed, timeLimit, shape: adapter.shape(store) });
    const label = given && c.nemesis === "none" ? "schedule" : c.nemesis.replaceAll(",", "_");
    return {
      ...rest,
      timeLimit,
      schedule,
      replication,
      seed,
      testName: c.testName ?? `${c.workload}-${label}`,
      store,
    };
  }
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const keys =
      issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k].join(".")) : [];
    const field = issue.path.map(String).join(".");
    if (keys.length > 0) {
      for (const k of keys)
        problems.push(
          `${where(k, sources.file, fromFlag)}: unknown field${elsewhere(k, getPath(raw, k.split(".")))}`,
        );
    } else {
      problems.push(
        `${where(field, sources.file, fromFlag)}: ${describeIssue(issue, getPath(raw, issue.path))}`,
      );
    }
  }
  const plural = problems.length === 1 ? "" : "s";
  throw new InputError(
    "BAD_CONFIG",
    `bad run configuration (${problems.length} problem${plural}):\n  ${problems.join("\n  ")}`,
    {
      details: { problems },
      hint: "run `faultline run --help` for the flags and their defaults",
    },
  );
}

function fileObject(file: RunConfigSources["file"], problems: string[]): Record<string, unknown> {
  if (!file) return {};
  if (file.data === null || file.data === undefined) return {};
  if (typeof file.data !== "object" || Array.isArray(file.data)) {
    problems.push(
      `${file.path}: must hold an object of settings, got ${Array.isArray(file.data) ? "an array" : typeof file.data}`,
    );
    return {};
  }
  return file.data as Record<string, unknown>;
}

/**
 * The duration fields of a hand-written file that hold a bare number other than 0, each named with what to write
 * instead: the flag that sets the field reads a bare number as seconds, `config.json` as milliseconds.
 */
function bareDurationProblems(raw: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  for (const spec of RUN_FLAGS) {
    if (spec.kind !== "duration") continue;
    const value = getPath(raw, spec.field.split("."));
    if (typeof value !== "number" || value === 0) continue;
    problems.push(
      `field "${spec.field}" in ${path}: a bare number is ambiguous (${flagName(spec)} ${value} means ${value} s, ` +
        `config.json holds ms): write "${value}s" or "${value}ms"`,
    );
    // Taken out, so the schema does not name it a second time.
    setPath(raw, spec.field, undefined);
  }
  return problems;
}

/**
 * For an unknown field: where a field of that name lives, or nothing. A store setting at the top level belongs
 * under `store:` (the flag `--followers` sets `store.followers`), and a top-level setting inside `store:` belongs
 * at the top level.
 */
function elsewhere(dotted: string, value: unknown): string {
  const name = dotted.split(".").at(-1)!;
  const home = RUN_FLAGS.find(
    (f) => f.field !== dotted && (f.field.split(".").at(-1) === name || flagAttribute(f) === name),
  );
  if (!home) return "";
  const path = home.field.split(".");
  const shown = value === null || typeof value !== "object" ? JSON.stringify(value) : "…";
  const nested = path
    .slice(0, -1)
    .reduceRight((inner, key) => `${key}: { ${inner} }`, `${path.at(-1)!}: ${shown}`);
  return ` (it is the field ${home.field}, which ${flagName(home)} sets: write ${nested})`;
}

function where(field: string, file: RunConfigSources["file"], fromFlag: Map<string, string>): string {
  const flag = fromFlag.get(field);
  if (flag) return flag;
  // A field inside a value a flag gave (a `--schedule` file): the flag, then the field within.
  for (const [f, name] of fromFlag) {
    if (field.startsWith(`${f}.`)) return `${name}: field "${field.slice(f.length + 1)}"`;
  }
  const label = field === "" ? "the configuration" : `field "${field}"`;
  return file ? `${label} in ${file.path}` : label;
}

function convertFlag(spec: FlagSpec, text: unknown): { value: unknown } | { error: string } {
  if (spec.kind === "boolean") return { value: text === true || text === "true" };
  const s = String(text);
  switch (spec.kind) {
    case "int":
      return /^-?\d+$/.test(s.trim())
        ? { value: Number(s) }
        : { error: `must be an integer, got ${JSON.stringify(s)}` };
    case "number": {
      const n = Number(s);
      return s.trim() !== "" && Number.isFinite(n)
        ? { value: n }
        : { error: `must be a number, got ${JSON.stringify(s)}` };
    }
    case "duration": {
      const ms = durationMs(s);
      return ms === undefined
        ? { error: `must be a duration like 500ms, 30s or 2m, got ${JSON.stringify(s)}` }
        : { value: ms };
    }
    case "json-file": {
      let content: string;
      try {
        // A device, a pipe or a kernel file would never end or block forever: refused before reading.
        assertReadableInput(s, { label: spec.flags.split(" ")[0]!, kind: "file" });
        content = readFileSync(s, "utf8");
      } catch (err) {
        const reason = isFaultlineError(err)
          ? String(err.details.reason)
          : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
        return { error: `cannot read ${s}: ${reason}` };
      }
      try {
        return { value: JSON.parse(content) as unknown };
      } catch (err) {
        return { error: `${s} is not valid JSON: ${(err as Error).message}` };
      }
    }
    case "choice":
      return spec.choices && !spec.choices.includes(s)
        ? { error: `must be one of ${spec.choices.join(", ")}; got ${JSON.stringify(s)}` }
        : { value: s };
    default:
      return { value: s };
  }
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let obj = target;
  for (const p of parts.slice(0, -1)) {
    const next = obj[p];
    if (typeof next !== "object" || next === null || Array.isArray(next)) obj[p] = {};
    obj = obj[p] as Record<string, unknown>;
  }
  obj[parts[parts.length - 1]!] = value;
}

/** A zod issue in the words the rest of faultline uses: what is allowed, and what was given. */
function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = `, got ${JSON.stringify(value)}`;
  switch (issue.code) {
    case "too_small":
      return `must be at least ${String(issue.minimum)}${got}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}${got}`;
    case "invalid_type":
      return `must be ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}${got}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}${got}`;
    default:
      return issue.message;
  }
}

function getPath(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur = obj;
  for (const k of path) cur = (cur as Record<PropertyKey, unknown> | undefined)?.[k];
  return cur;
}
