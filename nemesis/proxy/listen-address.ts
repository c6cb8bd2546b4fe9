/**
 * How a proxy's `listen` string becomes a socket address, the way Go's `net.Listen("tcp", listen)` treats it:
 * `localhost:0` → `127.0.0.1:<port>`, a wildcard host (`""`, `0.0.0.0`, `::`) → a dual-stack socket shown as
 * `[::]:<port>`, a host name → its first IPv4 address. Failures carry Go's error text, which the API returns
 * with status 500.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/** A listen address ready for `server.listen`. */
export interface ListenTarget {
  /** Address to bind (`127.0.0.1`, `::`, `0.0.0.0`). */
  readonly host: string;
  readonly port: number;
  /** How Go prints this address before binding (`127.0.0.1:0`); compared to decide whether a proxy "differs". */
  readonly display: string;
}

/** A failure to resolve or bind a listen address; the message is Go's error text. */
export class ListenError extends Error {
  constructor(
    message: string,
    /** The Node error code, when there is one (`EADDRINUSE`). */
    readonly code?: string,
  ) {
    super(message);
    this.name = "ListenError";
  }
}

const LOOKUP_TIMEOUT_MS = 5_000;
let ipv6Available: boolean | undefined;

/** Resolves `listen` to a bindable address; throws a {@link ListenError} with Go's wording. */
export async function resolveListen(listen: string): Promise<ListenTarget> {
  const split = splitListen(listen);
  const { host, port } = split;
  if (host === "" || host === "0.0.0.0" || host === "::") {
    const bindHost = (await hasIpv6()) ? "::" : "0.0.0.0";
    return { host: bindHost, port, display: formatAddress(bindHost, port) };
  }
  if (isIP(host) !== 0) return { host, port, display: formatAddress(host, port) };
  let addresses: { address: string; family: number }[];
  try {
    addresses = await withTimeout(lookup(host, { all: true }), LOOKUP_TIMEOUT_MS);
  } catch {
    throw new ListenError(`listen tcp: lookup ${host}: no such host`);
  }
  const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
  if (!chosen) throw new ListenError(`listen tcp: lookup ${host}: no such host`);
  return { host: chosen.address, port, display: formatAddress(chosen.address, port) };
}

/** `127.0.0.1:80`, `[::1]:80`, and `[::]:80` for the wildcard, as Go's `Addr.String()` prints them. */
export function formatAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Turns a Node bind error into Go's text: `listen tcp 127.0.0.1:3310: bind: address already in use`. */
export function bindError(target: ListenTarget, err: NodeJS.ErrnoException): ListenError {
  const reason: Record<string, string> = {
    EADDRINUSE: "address already in use",
    EACCES: "permission denied",
    EADDRNOTAVAIL: "cannot assign requested address",
  };
  const text = (err.code && reason[err.code]) ?? err.message;
  return new ListenError(`listen tcp ${target.display}: bind: ${text}`, err.code);
}

function splitListen(listen: string): { host: string; port: number } {
  if (listen === "") return { host: "", port: 0 };
  let host: string;
  let portText: string;
  if (listen.startsWith("[")) {
    const close = listen.indexOf("]");
    if (close === -1) throw new ListenError(`listen tcp: address ${listen}: missing ']' in address`);
    host = listen.slice(1, close);
    const rest = listen.slice(close + 1);
    if (!rest.startsWith(":"))
      throw new ListenError(`listen tcp: address ${listen}: missing port in address`);
    portText = rest.slice(1);
  } else {
    const colon = listen.lastIndexOf(":");
    if (colon === -1) throw new ListenError(`listen tcp: address ${listen}: missing port in address`);
    host = listen.slice(0, colon);
    if (host.includes(":"))
      throw new ListenError(`listen tcp: address ${listen}: too many colons in address`);
    portText = listen.slice(colon + 1);
  }
  if (portText === "") return { host, port: 0 };
  if (!/^\d+$/.test(portText)) throw new ListenError(`listen tcp: lookup tcp/${portText}: unknown port`);
  const port = Number(portText);
  if (port > 65535) throw new ListenError(`listen tcp: address ${portText}: invalid port`);
  return { host, port };
}

async function hasIpv6(): Promise<boolean> {
  if (ipv6Available !== undefined) return ipv6Available;
  const { createServer } = await import("node:net");
  ipv6Available = await new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen({ host: "::", port: 0 }, () => s.close(() => resolve(true)));
  });
  return ipv6Available;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
