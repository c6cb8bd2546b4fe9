/**
 * Waits `ms` milliseconds, or less if `signal` aborts (then it resolves early rather than throwing: callers
 * check the signal themselves, which keeps shutdown paths free of exception plumbing). However many sleeps wait
 * on one signal at once (a worker per client, the nemesis loop, the final phase), the signal carries one `abort`
 * listener for all of them, removed when the last one wakes: a listener per sleep made Node warn
 * `MaxListenersExceededWarning: … 11 abort listeners added to [AbortSignal]` at `--concurrency 10`.
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
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = signal ? onAbort(signal, done) : (): void => undefined;
  });
}

/** The sleeps waiting on a signal, and the one listener that wakes them. */
interface Sleepers {
  wakers: Set<() => void>;
  listener: () => void;
}

const sleepersBySignal = new WeakMap<AbortSignal, Sleepers>();

/** Calls `wake` when `signal` aborts, through the signal's single shared listener; returns the unsubscribe. */
function onAbort(signal: AbortSignal, wake: () => void): () => void {
  let sleepers = sleepersBySignal.get(signal);
  if (sleepers === undefined) {
    const wakers = new Set<() => void>();
    const listener = (): void => {
      sleepersBySignal.delete(signal);
      for (const w of [...wakers]) w();
    };
    sleepers = { wakers, listener };
    sleepersBySignal.set(signal, sleepers);
    signal.addEventListener("abort", listener, { once: true });
  }
  const own = sleepers;
  own.wakers.add(wake);
  return () => {
    own.wakers.delete(wake);
    if (own.wakers.size === 0 && sleepersBySignal.get(signal) === own) {
      sleepersBySignal.delete(signal);
      signal.removeEventListener("abort", own.listener);
    }
  };
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
