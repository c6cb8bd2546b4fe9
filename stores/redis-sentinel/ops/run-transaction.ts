import type { Redis } from "ioredis";
import { OpNotApplied, type ListMop } from "../../../workloads/index.js";

/**
 * Runs one transaction as separate commands on one connection — `MULTI`, then each `RPUSH` / `LRANGE 0 -1` (the
 * server answers `QUEUED`), then `EXEC` — and returns the micro-ops with the reads filled in from `EXEC`'s replies.
 *
 * Each command is sent only if the connection is still the socket `MULTI` went out on: ioredis reconnects on its
 * own, and a command sent on a fresh connection would run at once, outside any transaction. Until `EXEC` is sent,
 * nothing has run (the server executes queued commands only on `EXEC`), so any problem before that is a definite
 * failure ({@link OpNotApplied}, with the reason); a refusal while queueing (`NOREPLICAS`, `READONLY`, …) is
 * followed by `DISCARD` so the connection leaves the transaction. Problems with `EXEC` itself go to the caller,
 * which classifies them (usually `info`: it may have run).
 */
export async function runTransaction(
  redis: Redis,
  mops: readonly ListMop[],
  redisKey: (k: number) => string,
): Promise<ListMop[]> {
  const socket = redis.stream;
  const sameConnection = (): void => {
    if (redis.status !== "ready" || redis.stream !== socket) {
      throw new OpNotApplied("the connection changed inside the transaction; EXEC was never sent");
    }
  };
  try {
    sameConnection();
    await redis.multi({ pipeline: false });
    for (const [f, k, arg] of mops) {
      sameConnection();
      await (f === "append" ? redis.rpush(redisKey(k), String(arg)) : redis.lrange(redisKey(k), 0, -1));
    }
    sameConnection();
  } catch (err) {
    if (err instanceof OpNotApplied) throw err;
    const message = err instanceof Error ? err.message : String(err);
    // A server refusal leaves this connection inside MULTI; a dropped connection has no transaction left.
    if (redis.status === "ready" && redis.stream === socket) await redis.discard().catch(() => undefined);
    throw new OpNotApplied(`before EXEC: ${message.split("\n")[0]}`);
  }
  const replies = await redis.exec();
  if (replies === null) throw new OpNotApplied("EXEC: the transaction was aborted");
  if (replies.length !== mops.length) {
    throw new Error(`EXEC returned ${replies.length} replies for ${mops.length} commands`);
  }
  return mops.map((mop, i) => {
    const [err, reply] = replies[i]!;
    // A command that failed inside EXEC does not undo the others: the transaction partly happened.
    if (err) throw new Error(`EXEC: command ${i + 1} failed: ${err.message}`);
    if (mop[0] === "append") return mop;
    return ["r", mop[1], (reply as string[]).map(Number)] as const;
  });
}
