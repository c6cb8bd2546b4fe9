import { InputError } from "../errors/index.js";
import type { History } from "../history/op.js";
import type { CheckResult } from "./result.js";

/** What a checker gets besides the history and its options: the clock its budget is measured with (ms). */
export interface CheckContext {
  now: () => number;
}

/** How one JSON option of a checker is validated (in `config.json` or from a flag). */
export interface OptionSpec {
  /** `json`: any JSON value (e.g. a model's initial state). */
  type: "number" | "integer" | "boolean" | "string" | "string[]" | "json";
  /** Allowed values of a `string` option. */
  values?: readonly string[];
  /** Whether `null` is accepted (usually: "no limit"). */
  nullable?: boolean;
  /** Smallest allowed value of a number. */
  min?: number;
  /** One sentence for `faultline check --help` and error messages. */
  description: string;
}

/**
 * A registered checker: what `faultline check --checker <name>` and `config.json`'s
 * `"checkers": [{"name": …, "options": {…}}]` find by name. `check` must be pure (the clock only through
 * `context.now`, for budgets) and is always run through `safeCheck`.
 */
export interface CheckerDefinition<O extends object = Record<string, unknown>> {
  readonly name: string;
  /** One line: what the checker proves and which ops it reads. */
  readonly description: string;
  /** Every option's default; user options override them one by one. */
  readonly defaultOptions: Readonly<O>;
  /** Every accepted option; anything else is a user error naming the option. */
  readonly optionSpecs: { readonly [K in keyof O]-?: OptionSpec };
  /** Returns any `CheckResult`; its details type need not have an index signature. */
  check(history: History, options: O, context: CheckContext): CheckResult<object>;
}

/** The budget options every checker should accept: `timeLimitMs` and `maxOps` (see `BudgetOptions`). */
export const budgetOptionSpecs = {
  timeLimitMs: {
    type: "number",
    nullable: true,
    min: 0,
    description: "wall-clock budget in ms (null: none); running out gives valid: unknown",
  },
  maxOps: {
    type: "integer",
    nullable: true,
    min: 0,
    description:
      "size limit: a history with more entries gives valid: unknown without being checked (null: none)",
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * Merges user options over a checker's defaults, validating each against its {@link OptionSpec}.
 *
 * @param where how the options were given, for messages: `config.json checkers[1].options`, `--checker set`.
 * @throws InputError (`BAD_CHECKER_OPTION`) naming the checker and the option.
 */
export function resolveCheckerOptions<O extends object>(
  def: CheckerDefinition<O>,
  raw: unknown,
  where: string,
): O {
  const out = { ...def.defaultOptions } as Record<string, unknown>;
  if (raw === undefined || raw === null) return out as O;
  const fail = (message: string, option?: string): never => {
    throw new InputError("BAD_CHECKER_OPTION", `${where}: checker "${def.name}" ${message}`, {
      details: { checker: def.name, option },
      hint: `options of ${def.name}: ${Object.keys(def.optionSpecs).join(", ") || "none"}`,
    });
  };
  if (typeof raw !== "object" || Array.isArray(raw))
    return fail(`options must be an object, got ${JSON.stringify(raw)}`);
  const specs = def.optionSpecs as Record<string, OptionSpec>;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) return fail(`has no option "${name}"`, name);
    const problem = checkValue(spec, value);
    if (problem) return fail(`option "${name}" ${problem}, got ${JSON.stringify(value)}`, name);
    out[name] = value;
  }
  return out as O;
}

function checkValue(spec: OptionSpec, v: unknown): string | undefined {
  if (v === null) return spec.nullable ? undefined : `must not be null`;
  switch (spec.type) {
    case "boolean":
      return typeof v === "boolean" ? undefined : "must be true or false";
    case "number":
    case "integer": {
      const kind = spec.type === "integer" ? "an integer" : "a number";
      if (typeof v !== "number" || !Number.isFinite(v) || (spec.type === "integer" && !Number.isInteger(v))) {
        return `must be ${kind}`;
      }
      return spec.min !== undefined && v < spec.min ? `must be ${kind} ≥ ${spec.min}` : undefined;
    }
    case "string":
      if (typeof v !== "string") return "must be a string";
      return spec.values && !spec.values.includes(v) ? `must be one of ${spec.values.join(", ")}` : undefined;
    case "string[]":
      return Array.isArray(v) && v.every((x) => typeof x === "string")
        ? undefined
        : "must be an array of strings";
    case "json":
      return undefined;
  }
}
