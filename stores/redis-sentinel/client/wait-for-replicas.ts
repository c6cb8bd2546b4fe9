import type { Redis } from "ioredis";

/**
 * Follows a write that the leader acknowledged with `WAIT replicas timeoutMs` on the same connection (spec §1.3):
 * WAIT blocks until every earlier write of this connection reached `replicas` followers, or the timeout passes,
 * and answers how many it reached. Resolves `undefined` when enough followers acknowledged, otherwise the error
 * for an `info` completion: the write is applied on the leader (WAIT runs after it and undoes nothing) but may not
 * survive a failover, so the op is indeterminate — never `fail`. Any error of WAIT itself is indeterminate too.
 *
 * The socket must still be `writeSocket`, the one the write went out on: WAIT on a fresh connection has no earlier
 * write to wait for and would answer at once with every follower. The caller sends it in the same turn the
 * write's reply arrived (no I/O can run in between), and the check makes that explicit.
 *
 * @example
 * const shortfall = await waitForReplicas(leader, { replicas: 2, timeoutMs: 100 }, socketOfTheWrite);
 * // "WAIT 2 100: 1 of 2 followers acknowledged the write in time; it is applied on the leader but may be lost"
 */
export async function waitForReplicas(
  leader: Redis,
  mode: { replicas: number; timeoutMs: number },
  writeSocket: unknown,
): Promise<string | undefined> {
  const label = `WAIT ${mode.replicas} ${mode.timeoutMs}`;
  if (leader.status !== "ready" || leader.stream !== writeSocket || writeSocket === undefined) {
    return `${label} not sent: the connection closed after the write was acknowledged`;
  }
  try {
    const acks = await leader.wait(mode.replicas, mode.timeoutMs);
    if (acks >= mode.replicas) return undefined;
    return `${label}: ${acks} of ${mode.replicas} followers acknowledged the write in time; it is applied on the leader but may be lost`;
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0]! : String(err);
    return `${label} after the write failed (${message}); the write may or may not survive`;
  }
}
