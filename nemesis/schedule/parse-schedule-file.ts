import { InputError } from "../../core/errors/index.js";
import { assertSchedule } from "./check-schedule.js";
import type { ClusterShape } from "./cluster-shape.js";
import type { Schedule } from "./fault-window.js";
import { ScheduleSchema } from "./schedule-schema.js";

/** Where a schedule came from and what it must fit. */
export interface ParseScheduleOptions {
  /** The file (or `config.json` field) the schedule came from, for messages. */
  readonly source?: string;
  /** When known, every target must exist in a cluster of this shape. */
  readonly cluster?: ClusterShape;
}

/**
 * Validates an already-parsed schedule (e.g. the `schedule` of a `config.json`): the structure with
 * {@link ScheduleSchema}, then every invariant with `checkSchedule`. Throws one {@link InputError}
 * (`BAD_SCHEDULE`, exit 254) listing each bad field by path, e.g. `field "windows[2].duration" in plan.json`.
 */
export function parseSchedule(data: unknown, options: ParseScheduleOptions = {}): Schedule {
  const where = (path: string): string => {
    const label = path === "" ? "the schedule" : `field "${path}"`;
    return options.source ? `${label} in ${options.source}` : label;
  };
  const parsed = ScheduleSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => `${where(fieldPath([...issue.path, k]))}: unknown field`)
        : [`${where(fieldPath(issue.path))}: ${issue.message}`],
    );
    throw new InputError(
      "BAD_SCHEDULE",
      `bad fault schedule (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`,
      {
        details: { problems, source: options.source },
        hint: "a schedule holds { timeLimit, quietPeriod, minDuration, maxDuration, windows: [{ fault, target, params, start, duration }] }",
      },
    );
  }
  assertSchedule(parsed.data, options);
  return parsed.data;
}

/**
 * Parses a schedule file's text (JSON): a syntax error names the file; everything else is {@link parseSchedule}.
 *
 * @example
 * parseScheduleFile(readFileSync("plan.json", "utf8"), { source: "plan.json", cluster: { nodes: 3, managers: 3 } });
 */
export function parseScheduleFile(text: string, options: ParseScheduleOptions = {}): Schedule {
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (err) {
    const file = options.source ?? "the schedule file";
    throw new InputError("BAD_SCHEDULE", `${file} is not valid JSON: ${(err as Error).message}`, {
      details: { source: options.source },
    });
  }
  return parseSchedule(data, options);
}

/** `["windows", 2, "params", "latency"]` → `windows[2].params.latency`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) =>
      typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`,
    "",
  );
}
