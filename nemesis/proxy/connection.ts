/**
 * One proxied TCP connection: the accepted client socket, the upstream socket dialled for it (asynchronously:
 * a slow or blackholed upstream never delays other accepts), and the two {@link Link}s between them.
 *
 * Ends: a FIN from either side travels through that direction's chain behind its data and is forwarded as a
 * half-close; once both directions have ended, both sockets are closed. A socket that closes or errors ends the
 * direction it was the source of, and the other direction's output is discarded. A toxic's close (`timeout`,
 * `limit_data`) closes the destination fully, which then ends the other direction, as in Toxiproxy.
 */
import { connect, type Socket } from "node:net";
import { Link, type LinkOwner } from "./link.js";
import type { ToxicDef } from "./toxic-definition.js";
import type { DrawUse } from "./toxic-draws.js";
import type { Stream } from "./toxic-types.js";

/** How long a socket may take to flush before a close becomes a destroy. */
const CLOSE_GRACE_MS = 5_000;

/**
 * How a connection's source was told: the proxy's fixed source (`link`), the sources map (`address`), the
 * socket-owner resolver (`owner`), or not at all (`unknown`).
 */
export type SourceBy = "link" | "address" | "owner" | "unknown";

/** Where a connection comes from and goes to, in faultline's link vocabulary. */
export interface LinkEnds {
  readonly source: string;
  readonly destination: string;
  /** How {@link LinkEnds.source} was told (absent where only matching matters). */
  readonly sourceBy?: SourceBy;
}

/** What a connection needs from its proxy. */
export interface ConnectionOwner {
  /** The toxics a direction of this connection must run, in chain order. */
  toxicsFor(conn: Connection, stream: Stream): ToxicDef[];
  /** The connection has closed both sockets. */
  connectionClosed(conn: Connection): void;
  /** The draws of toxic `def` on `stream` of connection `conn` (see `toxic-draws.ts`). */
  drawsFor(conn: Connection, def: ToxicDef, stream: Stream, use: DrawUse): () => number;
}

/** The host and port of an upstream address (`host:port` or `[v6]:port`), or `undefined` if malformed. */
export function splitHostPort(address: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(address);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? m[2] ?? "", port };
}

/** A live proxied connection. */
export class Connection implements LinkOwner {
  /** When the client connected. */
  readonly opened = new Date();
  /** The client's address and port as the proxy saw it (`127.0.0.12:40112`, `[::1]:40112`). */
  readonly remote: string;
  /** The client's IP address, IPv4-mapped IPv6 addresses unwrapped (`127.0.0.12`). */
  readonly remoteAddress: string;
  /** The (source, destination) this connection is a link of; kept current by the proxy. */
  ends: LinkEnds;
  /** The node the socket-owner resolver named for this connection, once resolved (see `source-owner.ts`). */
  ownerSource: string | undefined;
  private upstream: Socket | null = null;
  private up: Link | null = null;
  private down: Link | null = null;
  private clientClosed = false;
  private upstreamClosed = false;
  private finished = false;
  private readonly graceTimers: NodeJS.Timeout[] = [];

  constructor(
    readonly id: number,
    /** 1 for the first connection its proxy accepted, 2 for the next, …: what its toxics' draws are keyed by. */
    readonly ordinal: number,
    private readonly owner: ConnectionOwner,
    readonly client: Socket,
    ends: (conn: Connection) => LinkEnds,
  ) {
    this.remoteAddress = normalizeAddress(client.remoteAddress ?? "");
    this.remote = this.remoteAddress.includes(":")
      ? `[${this.remoteAddress}]:${client.remotePort ?? 0}`
      : `${this.remoteAddress}:${client.remotePort ?? 0}`;
    this.ends = ends(this);
    client.setNoDelay(true);
    client.on("error", () => {});
    client.on("close", () => this.socketClosed(client));
  }

  /** The client's port as the proxy saw it. */
  get remotePort(): number {
    return this.client.remotePort ?? 0;
  }

  /** Whether the client socket has closed (before or after the upstream was dialled). */
  get isClientClosed(): boolean {
    return this.clientClosed;
  }

  /** Dials the upstream (asynchronously) and starts both links once it is connected. */
  dial(upstream: string, timeoutMs: number): void {
    const target = splitHostPort(upstream);
    if (!target) {
      this.client.destroy();
      return;
    }
    const sock = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.upstream = sock;
    sock.on("error", () => {});
    sock.on("close", () => this.socketClosed(sock));
    let timer: NodeJS.Timeout | null = null;
    if (timeoutMs > 0) timer = setTimeout(() => sock.destroy(), timeoutMs);
    sock.once("connect", () => {
      if (timer) clearTimeout(timer);
      if (this.clientClosed || this.finished) {
        sock.destroy();
        return;
      }
      // Resume first: a link that starts under a blackhole pauses its source again.
      this.client.resume();
      this.up = new Link(this, "upstream", this.client, sock);
      this.down = new Link(this, "downstream", sock, this.client);
      this.up.start(this.owner.toxicsFor(this, "upstream"));
      this.down.start(this.owner.toxicsFor(this, "downstream"));
    });
  }

  /** Whether the given direction currently runs without toxics. */
  isFast(stream: Stream): boolean {
    const link = stream === "upstream" ? this.up : this.down;
    return link?.isFast ?? true;
  }

  /** Re-reads the toxics that apply to this connection (after any toxic or link change). */
  sync(): void {
    this.up?.sync(this.owner.toxicsFor(this, "upstream"));
    this.down?.sync(this.owner.toxicsFor(this, "downstream"));
  }

  /** Closes both sockets now (disable, delete): Toxiproxy's `Close()`, usually a FIN. */
  destroy(): void {
    this.client.destroy();
    this.upstream?.destroy();
  }

  /** Resets both sockets with a TCP RST. */
  resetConnection(): void {
    for (const sock of [this.client, this.upstream]) {
      if (sock && !sock.destroyed) sock.resetAndDestroy();
    }
  }

  drawsFor(def: ToxicDef, stream: Stream, use: DrawUse): () => number {
    return this.owner.drawsFor(this, def, stream, use);
  }

  linkEnded(link: Link, full: boolean): void {
    const dst = link === this.up ? this.upstream : this.client;
    if (dst && !dst.destroyed) {
      dst.end();
      if (full) this.closeSoon(dst);
    }
    if (this.up?.isEnded && this.down?.isEnded) {
      this.closeSoon(this.client);
      if (this.upstream) this.closeSoon(this.upstream);
    }
  }

  private closeSoon(sock: Socket): void {
    if (sock.destroyed) return;
    if (sock.writableFinished) {
      sock.destroy();
      return;
    }
    sock.once("finish", () => sock.destroy());
    this.graceTimers.push(setTimeout(() => sock.destroy(), CLOSE_GRACE_MS));
  }

  private socketClosed(sock: Socket): void {
    if (sock === this.client) {
      this.clientClosed = true;
      this.up?.srcClosed();
      this.down?.dstClosed();
      if (!this.up) this.upstream?.destroy(); // still dialling: nobody to proxy for
    } else {
      this.upstreamClosed = true;
      this.down?.srcClosed();
      this.up?.dstClosed();
      if (!this.up) this.client.destroy(); // the dial failed: close the client (Toxiproxy does the same)
    }
    if (this.clientClosed && (this.upstreamClosed || this.upstream === null)) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.graceTimers) clearTimeout(t);
    this.up?.destroy();
    this.down?.destroy();
    this.owner.connectionClosed(this);
  }
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; other addresses unchanged. */
export function normalizeAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
