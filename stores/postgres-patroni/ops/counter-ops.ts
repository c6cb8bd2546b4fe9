import type { Invocation } from "../../../workloads/index.js";
import type { PgSession } from "./session.js";

/** The counter workload's table: one row per counter. */
export const COUNTER_SCHEMA = [
  "CREATE TABLE IF NOT EXISTS faultline_counter (k text PRIMARY KEY, value bigint NOT NULL)",
];

/**
 * The `counter` workload in SQL on the leader: `incr` adds the delta in one upsert (the row's lock serialises
 * concurrent increments), `read` selects the value (a counter with no row reads 0).
 */
export async function performCounter(session: PgSession, op: Invocation): Promise<unknown> {
  const key = op.key ?? "";
  switch (op.f) {
    case "incr":
      await session.write(
        "INSERT INTO faultline_counter AS c (k, value) VALUES ($1, $2) " +
          "ON CONFLICT (k) DO UPDATE SET value = c.value + EXCLUDED.value",
        [key, op.value],
      );
      return op.value;
    case "read": {
      const r = await session.read("SELECT value FROM faultline_counter WHERE k = $1", [key]);
      return r.rows.length === 0 ? 0 : Number((r.rows[0] as { value: string }).value);
    }
    default:
      throw new Error(`the counter workload has no op "${op.f}"`);
  }
}
