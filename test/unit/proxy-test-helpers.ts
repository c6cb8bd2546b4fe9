/**
 * Shared fixtures for the proxy tests: loopback echo/collect servers, clients whose bytes are recorded, a
 * proxy server per test, and a cleanup list so no socket, server or child outlives its test.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { Toxiproxy } from "toxiproxy-node-client";
import { startProxyServer, type StartedProxyServer } from "../../nemesis/proxy/index.js";

/** Things to close after a test, closed in reverse order. */
export class Cleanup {
  private readonly fns: (() => unknown)[] = [];

  add(fn: () => unknown): void {
    this.fns.push(fn);
  }

  async run(): Promise<void> {
    while (this.fns.length > 0) {
      try {
        await this.fns.pop()!();
      } catch {
        // keep closing the rest
      }
    }
  }
}

/** Records what a socket receives and how it ends. */
export class Collector {
  readonly chunks: Buffer[] = [];
  /** Arrival time (ms, performance clock) of each chunk. */
  readonly times: number[] = [];
  total = 0;
  ended = false;
  closed = false;
  error: NodeJS.ErrnoException | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: Socket) {
    socket.on("data", (d: Buffer) => {
      this.chunks.push(d);
      this.times.push(performance.now());
      this.total += d.length;
      this.wake();
    });
    socket.on("end", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      this.error = e;
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Everything received so far. */
  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Resolves when `predicate` holds; rejects after `ms`. */
  until(predicate: () => boolean, ms = 5_000, what = "condition"): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${ms} ms waiting for ${what} (received ${this.total} bytes)`));
      }, ms);
      this.waiters.add(check);
    });
  }

  waitBytes(n: number, ms = 5_000): Promise<void> {
    return this.until(() => this.total >= n, ms, `${n} bytes`);
  }

  waitClosed(ms = 5_000): Promise<void> {
    return this.until(() => this.closed, ms, "close");
  }

  /** Resolves when the peer ended the stream (FIN), reset it, or the socket closed. */
  waitEnded(ms = 5_000): Promise<void> {
    return this.until(() => this.ended || this.closed, ms, "end of stream");
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** A loopback server that keeps a {@link Collector} per accepted socket; `echo` pipes each back. */
export async function startServer(
  cleanup: Cleanup,
  options: { echo?: boolean; host?: string } = {},
): Promise<{
  server: Server;
  port: number;
  accepted: Collector[];
  nextAccepted(ms?: number): Promise<Collector>;
}> {
  const accepted: Collector[] = [];
  const waiters: ((c: Collector) => void)[] = [];
  const server = createServer({ allowHalfOpen: true }, (sock) => {
    const c = new Collector(sock);
    if (options.echo) sock.on("data", (d) => sock.write(d));
    if (options.echo) sock.on("end", () => sock.end());
    accepted.push(c);
    waiters.shift()?.(c);
  });
  await new Promise<void>((r) => server.listen(0, options.host ?? "127.0.0.1", r));
  cleanup.add(
    () =>
      new Promise<void>((r) => {
        for (const c of accepted) c.socket.destroy();
        server.close(() => r());
      }),
  );
  let seen = 0;
  return {
    server,
    port: (server.address() as { port: number }).port,
    accepted,
    nextAccepted(ms = 5_000) {
      const index = seen++;
      if (accepted[index]) return Promise.resolve(accepted[index]);
      return new Promise<Collector>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no connection accepted")), ms);
        waiters.push((c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
    },
  };
}

/** Connects to `port` on 127.0.0.1 (from `localAddress` if given) and records what arrives. */
export async function connectClient(
  cleanup: Cleanup,
  port: number,
  options: { localAddress?: string; host?: string } = {},
): Promise<Collector> {
  const sock = connect({
    port,
    host: options.host ?? "127.0.0.1",
    allowHalfOpen: true,
    noDelay: true,
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const c = new Collector(sock);
  cleanup.add(() => sock.destroy());
  await new Promise<void>((resolve, reject) => {
    sock.once("connect", () => resolve());
    sock.once("error", reject);
  });
  return c;
}

/** The port of a `host:port` listen string. */
export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(":") + 1));
}

/** A proxy server on a free port, plus a `toxiproxy-node-client` for it. */
export async function startTestProxy(
  cleanup: Cleanup,
  options: Parameters<typeof startProxyServer>[0] = {},
): Promise<{ server: StartedProxyServer; toxiproxy: Toxiproxy; url: string }> {
  const server = await startProxyServer({ port: 0, ...options });
  cleanup.add(() => server.stop());
  return { server, toxiproxy: new Toxiproxy(server.url), url: server.url };
}

/** Sends a raw request and returns status, headers and body text. */
export async function http(
  url: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url + path, {
    method,
    headers,
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns true, or throws after `ms`. */
export async function eventually(
  fn: () => boolean | Promise<boolean>,
  ms = 5_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
