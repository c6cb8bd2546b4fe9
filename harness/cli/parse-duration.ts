import { durationMs } from "../../core/index.js";
import { InputError } from "../../core/errors/index.js";

/** Parses a duration flag like `30s`, `500ms`, `2m` or a bare number of seconds; throws an InputError naming the flag. */
export function parseDuration(flag: string, text: string): number {
  const ms = durationMs(text);
  if (ms === undefined) {
    throw new InputError(
      "BAD_FLAG",
      `${flag} must be a duration like 500ms, 30s or 2m, got ${JSON.stringify(text)}`,
      {
        details: { flag, value: text },
      },
    );
  }
  return ms;
}
