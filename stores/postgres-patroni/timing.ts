/** Patroni's timing settings (seconds), in its DCS (`bootstrap.dcs`) section. */
export interface PatroniTiming {
  /** Leader-lock lease in the DCS: how long a dead leader keeps the lock, so roughly the failover delay. */
  ttl: number;
  /** Sleep between two HA-loop iterations. */
  loopWait: number;
  /** How long DCS and PostgreSQL calls are retried before the leader gives up (and demotes). */
  retryTimeout: number;
}

/** The settings faultline starts with: the fastest Patroni documents as allowed (measured in docs/stores). */
export const FAST_PATRONI_TIMING: PatroniTiming = { ttl: 20, loopWait: 1, retryTimeout: 5 };

/** Whether a timing is allowed, and why not. */
export type TimingCheck = { ok: true } | { ok: false; problems: string[] };

/**
 * Checks Patroni's documented limits: `ttl` ≥ 20, `loop_wait` ≥ 1, `retry_timeout` ≥ 3 and
 * `loop_wait + 2 × retry_timeout ≤ ttl` (Patroni's "dynamic configuration" page). Debian's Patroni 3.0.2 does
 * **not** enforce them in code (its `config.py` only casts to int), so faultline must, or a run would measure a
 * configuration Patroni's authors call unsafe (a leader that cannot renew its lock within one `ttl`).
 */
export function checkPatroniTiming(t: PatroniTiming): TimingCheck {
  const problems: string[] = [];
  const whole = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v)) problems.push(`${name} must be a whole number of seconds, got ${v}`);
    else if (v < min) problems.push(`${name} must be at least ${min}, got ${v}`);
  };
  whole("ttl", t.ttl, 20);
  whole("loop_wait", t.loopWait, 1);
  whole("retry_timeout", t.retryTimeout, 3);
  if (t.loopWait + 2 * t.retryTimeout > t.ttl) {
    problems.push(
      `loop_wait + 2 × retry_timeout must not exceed ttl: ${t.loopWait} + 2 × ${t.retryTimeout} > ${t.ttl}`,
    );
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
