import { InputError } from "../errors/index.js";
import type { CheckContext, CheckerDefinition } from "../core/definition.js";
import { resolveCheckerOptions } from "../core/definition.js";
import type { CheckResult, ComposedResult } from "../core/result.js";
import { compose, safeCheck } from "../core/result.js";
import type { History } from "../history/op.js";
import { registeredCheckers } from "./entries.js";

/** A checker named with options, as in `config.json`: `{"name": "set", "options": {…}}`. */
export interface CheckerSpec {
  name: string;
  options?: Record<string, unknown>;
}

type AnyDefinition = CheckerDefinition<any>;

const byName = new Map<string, AnyDefinition>(registeredCheckers.map((c) => [c.name, c]));

/** Names of every registered checker, in registration order. */
export function checkerNames(): string[] {
  return registeredCheckers.map((c) => c.name);
}

/** The checker registered under `name`, or undefined. */
export function findChecker(name: string): AnyDefinition | undefined {
  return byName.get(name);
}

/**
 * The checker registered under `name`.
 *
 * @param where how it was named, for the message: `--checker`, `config.json checkers[2].name`.
 * @throws InputError (`UNKNOWN_CHECKER`) naming it and listing the known ones.
 */
export function getChecker(name: string, where = "--checker"): AnyDefinition {
  const def = byName.get(name);
  if (def) return def;
  throw new InputError(
    "UNKNOWN_CHECKER",
    `${where}: unknown checker ${JSON.stringify(name)}; known checkers: ${checkerNames().join(", ")}`,
    { details: { checker: name, known: checkerNames() }, hint: "run `faultline check --help` for the list" },
  );
}

/** A checker ready to run: its definition and its resolved options. */
export interface PreparedChecker {
  /** The name results are filed under (the checker's name, `name#2` for a second instance). */
  label: string;
  definition: AnyDefinition;
  options: Record<string, unknown>;
}

/**
 * Looks up and validates a list of checker specs before any runs, so a typo fails fast (exit 254).
 *
 * @param where names where spec `i` came from, for messages: `--checker`, `config.json checkers[2]`.
 * @throws InputError naming the checker or the option.
 */
export function prepareCheckers(
  specs: readonly CheckerSpec[],
  where: (index: number) => string = () => "--checker",
): PreparedChecker[] {
  const seen = new Map<string, number>();
  return specs.map((spec, i) => {
    const definition = getChecker(spec.name, where(i));
    const options = resolveCheckerOptions(definition, spec.options, where(i));
    const n = (seen.get(spec.name) ?? 0) + 1;
    seen.set(spec.name, n);
    return { label: n === 1 ? spec.name : `${spec.name}#${n}`, definition, options };
  });
}

/**
 * Runs prepared checkers on a history, each through `safeCheck` (a throw becomes `unknown`), and composes the
 * verdicts (worst wins). `context.now` is the clock budgets are measured with (default `performance.now`).
 *
 * @example
 * const verdict = runCheckers(prepareCheckers([{ name: "set" }]), history);
 * process.exitCode = verdict.valid === true ? 0 : verdict.valid === false ? 1 : 2;
 */
export function runCheckers(
  checkers: readonly PreparedChecker[],
  history: History,
  context: Partial<CheckContext> = {},
): ComposedResult {
  const ctx: CheckContext = { now: context.now ?? (() => performance.now()) };
  const results: Record<string, CheckResult> = {};
  for (const c of checkers) {
    const r = safeCheck(
      (h: History, o?: Record<string, unknown>) => c.definition.check(h, o ?? {}, ctx),
      history,
      c.options,
    );
    Object.defineProperty(results, c.label, { value: r as CheckResult, enumerable: true, writable: true });
  }
  return compose(results);
}

/** Runs one named checker with options (validated) on a history; see {@link runCheckers}. */
export function runChecker(
  spec: CheckerSpec,
  history: History,
  context: Partial<CheckContext> = {},
): CheckResult {
  const [prepared] = prepareCheckers([spec]);
  return runCheckers([prepared], history, context).results[prepared.label];
}
