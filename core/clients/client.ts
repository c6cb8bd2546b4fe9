import type { Invocation } from "./invocation.js";

/** How an op ended, as a client reports it; the run loop turns it into the history's completion. */
export interface Completion {
  type: "ok" | "fail" | "info";
  /** The result on `ok` (the invoke's value is recorded for `fail` and `info`). */
  value?: unknown;
  /** The node that served it, when known. */
  node?: string;
  /** Why it failed or is unknown. */
  error?: string;
}

/**
 * A client of the store (STYLE.md §5, Jepsen's `Client`): opened once per logical process, one op in flight at a
 * time, closed when the process retires or the run ends. `invoke` never throws: every outcome is a
 * {@link Completion}, `info` when the client cannot tell whether the op happened.
 */
export interface Client {
  open(): Promise<void>;
  invoke(op: Invocation): Promise<Completion>;
  close(): Promise<void>;
}

/**
 * Puts a deadline on every `invoke` (STYLE.md §6): past `ms`, the op completes as `info` (it may still happen
 * later), never `fail`. The inner call keeps running in the background; its late result is ignored.
 *
 * @example
 * const client = withTimeout(storeClient, 1250);
 * await client.invoke({ f: "add", key: "s", value: 1 }); // { type: "info", error: "timeout: …" } if no answer
 */
export function withTimeout(inner: Client, ms: number): Client {
  return {
    open: () => inner.open(),
    close: () => inner.close(),
    invoke(op: Invocation): Promise<Completion> {
      return new Promise<Completion>((resolve) => {
        const timer = setTimeout(
          () => resolve({ type: "info", error: `timeout: no answer within ${ms} ms (harness deadline)` }),
          ms,
        );
        inner.invoke(op).then(
          (c) => {
            clearTimeout(timer);
            resolve(c);
          },
          (err: unknown) => {
            clearTimeout(timer);
            resolve({
              type: "info",
              error: `client threw: ${err instanceof Error ? err.message : String(err)}`,
            });
          },
        );
      });
    },
  };
}

/** A client that does nothing and acknowledges everything (for run-loop tests; Jepsen's `noop`). */
export function noopClient(): Client {
  return {
    open: () => Promise.resolve(),
    invoke: (op) => Promise.resolve({ type: "ok", value: op.value }),
    close: () => Promise.resolve(),
  };
}

/** A misuse found by {@link validatingClient}. */
export class ClientContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClientContractError";
  }
}

/**
 * Checks the client lifecycle and answers (Jepsen's `validate`): open before invoke, one invoke at a time, no
 * use after close, and completions that are well formed (`info` carries an error; a `fail` may go without one
 * only when the op ran and had no effect, e.g. a compare-and-set that did not match). Used in tests.
 */
export function validatingClient(inner: Client): Client {
  let state: "new" | "open" | "closed" = "new";
  let inFlight = false;
  return {
    async open() {
      if (state !== "new") throw new ClientContractError(`open() on a ${state} client`);
      await inner.open();
      state = "open";
    },
    async invoke(op) {
      if (state !== "open") throw new ClientContractError(`invoke(${op.f}) on a ${state} client`);
      if (inFlight) throw new ClientContractError(`invoke(${op.f}) while another op is in flight`);
      inFlight = true;
      try {
        const c = await inner.invoke(op);
        if (!["ok", "fail", "info"].includes(c.type))
          throw new ClientContractError(`bad completion type ${c.type}`);
        if (c.type === "info" && !c.error) throw new ClientContractError(`an info completion needs an error`);
        if (c.error !== undefined && !c.error)
          throw new ClientContractError(`a ${c.type} completion's error must not be empty`);
        return c;
      } finally {
        inFlight = false;
      }
    },
    async close() {
      if (state === "closed") throw new ClientContractError("close() twice");
      state = "closed";
      await inner.close();
    },
  };
}
