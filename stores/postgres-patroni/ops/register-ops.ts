import { OpNotApplied, type Invocation } from "../../../workloads/index.js";
import type { PgSession } from "./session.js";

/** The register workload's table: one row per register. */
export const REGISTER_SCHEMA = [
  "CREATE TABLE IF NOT EXISTS faultline_register (k text PRIMARY KEY, value bigint NOT NULL)",
];

/**
 * The `register` workload in SQL, each op one autocommit statement on the leader: `read` selects the row (`null`
 * when there is none), `write` upserts it, and `cas` is `UPDATE … SET value = $new WHERE k = $k AND value = $old`,
 * which compares and writes atomically (under read committed PostgreSQL re-checks the `WHERE` against the newest
 * row version after waiting for a concurrent writer). A cas whose row count is 0 ran and did not swap: `fail`
 * without an error ({@link OpNotApplied}), as the `cas-register` model's contract asks.
 */
export async function performRegister(session: PgSession, op: Invocation): Promise<unknown> {
  const key = op.key ?? "";
  switch (op.f) {
    case "read": {
      const r = await session.read("SELECT value FROM faultline_register WHERE k = $1", [key]);
      return r.rows.length === 0 ? null : Number((r.rows[0] as { value: string }).value);
    }
    case "write":
      await session.write(
        "INSERT INTO faultline_register (k, value) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET value = EXCLUDED.value",
        [key, op.value],
      );
      return op.value;
    case "cas": {
      const [expected, next] = op.value as [number, number];
      const r = await session.write("UPDATE faultline_register SET value = $3 WHERE k = $1 AND value = $2", [
        key,
        expected,
        next,
      ]);
      if (r.rowCount !== 1) throw new OpNotApplied();
      return op.value;
    }
    default:
      throw new Error(`the register workload has no op "${op.f}"`);
  }
}
