// The grammar module itself, not the config index: the config schema imports this component (for --nemesis and
// --schedule), so importing the index back would be a cycle.
import { durationMs } from "../../core/index.js";
import { InputError } from "../../core/errors/index.js";

/** The longest mean gap `--nemesis-interval` accepts: one hour. */
export const MAX_NEMESIS_INTERVAL = 3_600_000;

/**
 * Parses `--nemesis-interval`, the mean gap between fault starts, in faultline's duration grammar (`500ms`,
 * `10s`, `2m`, or bare seconds). Returns milliseconds; it must be at least 1 ms and at most an hour. Errors
 * name the flag and the value.
 *
 * @example
 * parseNemesisInterval("10s"); // 10000
 */
export function parseNemesisInterval(text: string): number {
  const ms = durationMs(text);
  const fail = (message: string): never => {
    throw new InputError("BAD_FLAG", `--nemesis-interval: ${message}, got ${JSON.stringify(text)}`, {
      details: { flag: "--nemesis-interval", value: text },
      hint: "the mean time between two fault starts, e.g. --nemesis-interval 10s",
    });
  };
  if (ms === undefined) return fail("must be a duration like 500ms, 10s or 2m");
  if (ms < 1) return fail("must be at least 1ms");
  if (ms > MAX_NEMESIS_INTERVAL) return fail("must be at most 1h");
  return ms;
}
