/**
 * The in-process entry point: starts a proxy server (HTTP API + data path) and returns a handle whose idempotent
 * `stop()` closes every listener and socket it opened.
 */
import type { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FaultlineError } from "../../core/errors/index.js";
import { createApiServer } from "./api-server.js";
import type { ProxyEvent } from "./event-log.js";
import { ProxyRegistry, type ProxySpec } from "./proxy-registry.js";

/** How long `stop()` lets in-flight API requests finish before closing their connections. */
const STOP_GRACE_MS = 200;

/** Toxiproxy version whose API the server speaks. */
export const TOXIPROXY_API_VERSION = "2.12.0";

/** Options of {@link startProxyServer}; every field is optional. */
export interface ProxyServerOptions {
  /** Address the HTTP API binds (default `127.0.0.1`: the API is unauthenticated). */
  host?: string;
  /** API port (default 8474, Toxiproxy's; 0 for any free port). */
  port?: number;
  /** Proxies to create before the API starts answering (populate semantics). */
  config?: readonly ProxySpec[];
  /** Upstream connect timeout in ms (default 10,000; 0 waits for the OS). */
  dialTimeoutMs?: number;
  /**
   * Seed of every random draw the toxics make (toxicity, latency jitter, slicer cuts, `refuse`): the same seed and
   * the same sequence of connections to each proxy give the same draws. A fresh seed when omitted; the started
   * server's {@link StartedProxyServer.seed} says which.
   */
  seed?: number;
  /**
   * Behave as a plain Toxiproxy 2.12 (default false): no `/faultline/` routes (404, as a real Toxiproxy answers)
   * and a `/version` without faultline's identification. For testing the harness's real-Toxiproxy path on a
   * machine without a Toxiproxy binary.
   */
  plainToxiproxy?: boolean;
}

/** Emits `"event"` with each {@link ProxyEvent}. */
export type ProxyEventEmitter = Pick<EventEmitter, "on" | "off" | "once">;

/** A running proxy server. */
export interface StartedProxyServer extends AsyncDisposable {
  /** Base URL of the API, e.g. `http://127.0.0.1:8474`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The seed of the toxics' draws (the one given, or the fresh one picked). */
  readonly seed: number;
  /** Every change, in-process (`server.events.on("event", (e: ProxyEvent) => …)`). */
  readonly events: ProxyEventEmitter;
  /** The events recorded so far (the last ones kept), oldest first: those of `config` happen before any listener. */
  pastEvents(): ProxyEvent[];
  /** Closes the API, every proxy listener and every proxied socket. Idempotent. */
  stop(): Promise<StoppedProxyServer>;
}

/** A proxy server that has been stopped. */
export interface StoppedProxyServer {
  /** The URL it served. */
  readonly url: string;
}

/**
 * Starts a proxy server.
 *
 * @example
 * await using proxy = await startProxyServer({ port: 0 });
 * const toxiproxy = new Toxiproxy(proxy.url);
 * await toxiproxy.createProxy({ name: "db", listen: "127.0.0.1:0", upstream: "127.0.0.1:6379" });
 */
export async function startProxyServer(options: ProxyServerOptions = {}): Promise<StartedProxyServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8474;
  const registry = new ProxyRegistry({
    dialTimeoutMs: options.dialTimeoutMs ?? 10_000,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  if (options.config && options.config.length > 0) {
    const result = await registry
      .populate(options.config)
      .catch((err: unknown) => ({ proxies: [], error: err }));
    if (result.error) {
      registry.stopAll();
      const message = result.error instanceof Error ? result.error.message : String(result.error);
      const index = result.proxies.length;
      throw new FaultlineError(
        /address already in use/.test(message) ? "PROXY_PORT_IN_USE" : "PROXY_CONFIG_FAILED",
        `cannot create proxy ${JSON.stringify(options.config[index]?.name ?? "?")} (entry ${index + 1} of the config): ${message}`,
        {
          details: { entry: index + 1, proxy: options.config[index]?.name, error: message },
          hint: "fix that entry's listen address (or free the port) and start again",
          userError: true,
        },
      );
    }
  }
  const plain = options.plainToxiproxy === true;
  const server = createApiServer(registry, plain ? plainVersionBody() : versionBody(), {
    extensions: !plain,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host, port }, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    registry.stopAll();
    const code = (err as NodeJS.ErrnoException).code;
    throw new FaultlineError(
      code === "EADDRINUSE" ? "PROXY_PORT_IN_USE" : "PROXY_LISTEN_FAILED",
      `cannot listen on ${host}:${port}: ${(err as Error).message}`,
      {
        details: { host, port, code },
        hint:
          code === "EADDRINUSE"
            ? "another process uses that port; pick another, or port 0 for any free port"
            : undefined,
        userError: true,
        cause: err,
      },
    );
  }
  const addr = server.address();
  const boundPort = addr && typeof addr === "object" ? addr.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`;
  let stopped: Promise<StoppedProxyServer> | undefined;
  const stop = (): Promise<StoppedProxyServer> => {
    stopped ??= new Promise<StoppedProxyServer>((resolve) => {
      registry.stopAll(); // also answers pending long-polls
      server.close(() => resolve({ url }));
      server.closeIdleConnections();
      // Requests still in flight get a moment to be answered, then their connections are closed too.
      setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS).unref();
    });
    return stopped;
  };
  return {
    url,
    host,
    port: boundPort,
    seed: registry.seed,
    events: registry.events.emitter,
    pastEvents: () => registry.events.since(0),
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}

/** `GET /version`'s body: Toxiproxy's shape plus faultline's identification (EXTENSIONS.md). */
export function versionBody(): string {
  return (
    `{"version": "${TOXIPROXY_API_VERSION}", "server": "faultline", "faultline": "${packageVersion()}", ` +
    `"features": ["sources", "links", "events", "connections", "batch", "source-resolver"]}\n`
  );
}

/** `GET /version`'s body on a real Toxiproxy (and in `plainToxiproxy` mode): the version alone. */
export function plainVersionBody(): string {
  return `{"version": "${TOXIPROXY_API_VERSION}"}\n`;
}

let cachedVersion: string | undefined;

function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "faultline" && pkg.version) return (cachedVersion = pkg.version);
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir);
  }
  return (cachedVersion = "0.0.0");
}

export type { ProxyEvent };
