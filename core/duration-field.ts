import { z } from "zod";
import { durationMs } from "./duration.js";

/**
 * A duration field of a config schema: a number of milliseconds, or a string in the {@link durationMs} grammar
 * (`"20s"`), between `min` and `max` ms. Always resolves to milliseconds, so `config.json` (which holds numbers)
 * replays as it was run.
 *
 * @example
 * durationField(100, 600_000).parse("2s"); // 2000
 */
export function durationField(min: number, max: number) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const ms = typeof v === "number" ? v : durationMs(v);
    if (ms === undefined || !Number.isFinite(ms)) {
      ctx.addIssue({
        code: "custom",
        message: `must be a duration like 500ms, 30s or 2m, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: "custom", message: `must be between ${min} ms and ${max} ms, got ${ms} ms` });
      return z.NEVER;
    }
    return Math.round(ms);
  });
}
