import type { Invocation } from "../../../workloads/index.js";
import type { PgSession } from "./session.js";

/** The set workload's table: one row per element, per set (the history's key). */
export const SET_SCHEMA = [
  "CREATE TABLE IF NOT EXISTS faultline_set (k text NOT NULL, element bigint NOT NULL, PRIMARY KEY (k, element))",
];

/**
 * The `set` workload in SQL: `add` inserts the element into the set named by the op's key (one row per element;
 * an element already there leaves the set as it is (ON CONFLICT DO NOTHING) — values are unique per run and the client
 * never retries, so it does not happen), `read` selects every element of the set on the leader, sorted
 * numerically.
 */
export async function performSet(session: PgSession, op: Invocation): Promise<unknown> {
  const key = op.key ?? "faultline:set";
  switch (op.f) {
    case "add":
      await session.write("INSERT INTO faultline_set (k, element) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
        key,
        op.value,
      ]);
      return op.value;
    case "read": {
      const r = await session.read("SELECT element FROM faultline_set WHERE k = $1 ORDER BY element", [key]);
      return r.rows.map((row: { element: string }) => Number(row.element));
    }
    default:
      throw new Error(`the set workload has no op "${op.f}"`);
  }
}
