import { Redis } from "ioredis";

/**
 * The harness's own connections to each node's **real** listener (never through the proxy, so faults never
 * blind the harness). One lazily opened connection per node, kept for the run; commands fail fast (no offline
 * queue growth past a reconnect, a deadline per command) so a dead or paused node cannot stall a probe.
 */
export class AdminConnections {
  readonly #addresses: ReadonlyMap<string, { host: string; port: number }>;
  readonly #conns = new Map<string, Redis>();
  readonly #timeoutMs: number;
  #closed = false;

  constructor(addresses: ReadonlyMap<string, { host: string; port: number }>, timeoutMs = 1000) {
    this.#addresses = addresses;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Runs one command on `node`.
   *
   * @example
   * const info = (await admin.command("n1", "INFO", "replication")) as string;
   */
  async command(node: string, ...args: (string | number)[]): Promise<unknown> {
    const conn = this.#connection(node);
    return conn.call(String(args[0]), ...args.slice(1).map(String));
  }

  /** Drops the connection to `node` (after a restart the next command opens a fresh one). */
  reset(node: string): void {
    const c = this.#conns.get(node);
    if (c) {
      this.#conns.delete(node);
      c.disconnect();
    }
  }

  /** Closes every connection. */
  close(): void {
    this.#closed = true;
    for (const c of this.#conns.values()) c.disconnect();
    this.#conns.clear();
  }

  #connection(node: string): Redis {
    if (this.#closed) throw new Error("admin connections are closed");
    let c = this.#conns.get(node);
    if (c) return c;
    const addr = this.#addresses.get(node);
    if (!addr) throw new Error(`no admin address for node ${node}`);
    c = new Redis({
      host: addr.host,
      port: addr.port,
      protocol: 2,
      lazyConnect: false,
      connectTimeout: this.#timeoutMs,
      commandTimeout: this.#timeoutMs,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
      autoResendUnfulfilledCommands: false,
      retryStrategy: () => 100,
      connectionName: "faultline-admin",
    });
    // ioredis reports connection errors as events; a down node is an expected state here, and the command's
    // own rejection carries the reason.
    c.on("error", () => undefined);
    this.#conns.set(node, c);
    return c;
  }
}
