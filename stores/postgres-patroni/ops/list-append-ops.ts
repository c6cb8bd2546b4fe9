import type { Invocation, ListMop } from "../../../workloads/index.js";
import type { PgSession } from "./session.js";

/** The list-append workload's table: one row per list, its elements in an array in append order. */
export const LIST_SCHEMA = [
  "CREATE TABLE IF NOT EXISTS faultline_list (k bigint PRIMARY KEY, vals bigint[] NOT NULL)",
];

/**
 * The `list-append` workload in SQL (Jepsen's PostgreSQL append test, with an array column): each `txn` is one
 * transaction on the leader at the client's isolation level; `["append", k, v]` upserts row k with v added at the
 * end of its array, `["r", k, null]` selects the whole array (`[]` when the row does not exist). Resolves with the
 * micro-ops, reads filled in. A serialization failure or deadlock aborts the transaction: `fail`.
 */
export async function performListAppend(session: PgSession, op: Invocation): Promise<unknown> {
  if (op.f !== "txn") throw new Error(`the list-append workload has no op "${op.f}"`);
  const mops = op.value as readonly ListMop[];
  return session.transaction(
    async (tx) => {
      const done: ListMop[] = [];
      for (const mop of mops) {
        const [f, k, arg] = mop;
        if (f === "append") {
          await tx.query(
            "INSERT INTO faultline_list AS l (k, vals) VALUES ($1, ARRAY[$2::bigint]) " +
              "ON CONFLICT (k) DO UPDATE SET vals = l.vals || EXCLUDED.vals",
            [k, arg],
          );
          done.push(mop);
        } else {
          const r = await tx.query("SELECT vals FROM faultline_list WHERE k = $1", [k]);
          const vals = r.rows.length === 0 ? [] : (r.rows[0] as { vals: string[] }).vals.map(Number);
          done.push(["r", k, vals]);
        }
      }
      return done;
    },
    { writes: mops.some((m) => m[0] === "append") },
  );
}
