/**
 * Classifies an ioredis error into the op's outcome, per the spec's table (redis-sentinel.md §4.4, with
 * `maxRetriesPerRequest: 0`, `enableOfflineQueue: false`, `autoResendUnfulfilledCommands: false`):
 *
 * - **fail** (the command definitely did not run): it was never written (`Stream isn't writeable…`), or the
 *   server refused it before executing (`READONLY`, `NOREPLICAS`, `MASTERDOWN`, `LOADING`, `OOM`, `-ERR …` on a
 *   plain command), or ioredis could not find a leader to send it to (every Sentinel unreachable);
 * - **info** (unknown) for everything else: the connection closed while it was in flight
 *   (`MaxRetriesPerRequestError`), `Command timed out`, `Connection is closed.`, an aborted pipeline, a socket
 *   timeout, or any error this table does not know — unknown is the safe answer.
 *
 * @example
 * classifyRedisError(new Error("NOREPLICAS Not enough good replicas to write.")); // { type: "fail", … }
 */
export function classifyRedisError(err: unknown): { type: "fail" | "info"; error: string } {
  const message = err instanceof Error ? err.message : String(err);
  const error = message.split("\n")[0]!.slice(0, 300);
  if (DEFINITE_FAILURES.some((re) => re.test(message))) return { type: "fail", error };
  return { type: "info", error };
}

const DEFINITE_FAILURES: readonly RegExp[] = [
  // Never written to a socket (offline queue disabled).
  /^Stream isn't writeable/,
  // Server-side refusals, before execution (spec §1.4, §1.5).
  /^READONLY /,
  /^NOREPLICAS /,
  /^MASTERDOWN /,
  /^LOADING /,
  /^OOM /,
  /^NOSCRIPT /,
  /^WRONGTYPE /,
  /^ERR /,
  // ioredis could not resolve a leader, so nothing was sent.
  /^All sentinels are unreachable/,
  /^None of sentinels are available/,
];
