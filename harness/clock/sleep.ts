/**
 * Waits `ms` milliseconds, or less if `signal` aborts (then it resolves early rather than throwing: callers
 * check the signal themselves, which keeps shutdown paths free of exception plumbing).
 *
 * @example
 * await sleep(500, controller.signal);
 * if (controller.signal.aborted) return;
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Polls `probe` every `intervalMs` until it returns a non-undefined value or `timeoutMs` passes; returns the
 * value, or `undefined` on timeout. A probe that throws counts as "not yet" (its last error is kept in
 * `lastError` for the caller's message).
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs: number; signal?: AbortSignal },
): Promise<{ value: T | undefined; lastError: unknown }> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return { value: v, lastError };
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline || options.signal?.aborted) return { value: undefined, lastError };
    await sleep(Math.min(options.intervalMs, Math.max(0, deadline - Date.now())), options.signal);
  }
}
