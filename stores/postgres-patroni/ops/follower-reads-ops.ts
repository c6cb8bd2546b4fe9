import type { Invocation } from "../../../workloads/index.js";
import type { PgSession } from "./session.js";

/** The follower-reads workload's table: one row per key, its highest version. */
export const VERSIONS_SCHEMA = [
  "CREATE TABLE IF NOT EXISTS faultline_versions (k text PRIMARY KEY, version bigint NOT NULL)",
];

/**
 * The `follower-reads` workload in SQL: a `write` upserts the key's version on the leader only if it is higher
 * than the one the row holds (two processes may write versions 7 and 8 at once and 8 may land first: a plain
 * write of 7 would put the key back, and every later read would look stale); a `read` selects the version (`null`
 * when there is none) from a hot standby or from the leader, as the op's route says. A standby that has not yet
 * replayed the table's creation (`42P01`) has seen no write: it reads `null`.
 */
export async function performFollowerReads(session: PgSession, op: Invocation): Promise<unknown> {
  const key = op.key ?? "";
  switch (op.f) {
    case "write":
      await session.write(
        "INSERT INTO faultline_versions AS v (k, version) VALUES ($1, $2) " +
          "ON CONFLICT (k) DO UPDATE SET version = EXCLUDED.version WHERE v.version < EXCLUDED.version",
        [key, op.value],
      );
      return op.value;
    case "read": {
      const text = "SELECT version FROM faultline_versions WHERE k = $1";
      if (op.route !== "follower") return versionOf(await session.read(text, [key]));
      try {
        return versionOf(await session.readFollower(text, [key]));
      } catch (err) {
        if ((err as { severity?: string; code?: string }).code === "42P01") return null;
        throw err;
      }
    }
    default:
      throw new Error(`the follower-reads workload has no op "${op.f}"`);
  }
}

function versionOf(r: { rows: unknown[] }): number | null {
  return r.rows.length === 0 ? null : Number((r.rows[0] as { version: string }).version);
}
