/**
 * One proxy: a name, a listen address, an upstream, its toxics (both streams, in chain order), its link
 * identity (faultline's extension) and its live connections. Starting binds the listener; stopping closes it
 * and every live connection (Toxiproxy's "disable").
 */
import { createServer, type Server, type Socket } from "node:net";
import { Connection, type ConnectionOwner, type LinkEnds } from "./connection.js";
import { encodeArray, encodeObject, encodeString } from "./go-json-encode.js";
import { bindError, formatAddress, resolveListen, type ListenError } from "./listen-address.js";
import { encodeToxic, toxicToJson, type ToxicDef, type ToxicJson } from "./toxic-definition.js";
import type { OwnerResolution } from "./source-owner.js";
import type { DrawUse, ToxicDraws } from "./toxic-draws.js";
import type { Stream } from "./toxic-types.js";

/** A proxy as Toxiproxy's API returns it. */
export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

/** What every proxy shares with the rest of the server. */
export interface ProxyContext {
  /** Where every toxic's draws come from (seeded). */
  readonly draws: ToxicDraws;
  nextConnectionId(): number;
  /** Link ends of a connection from `remoteAddress` accepted by `proxy` (`owner`: its resolved socket owner). */
  ends(proxy: ProxyEntry, remoteAddress: string, owner?: string): LinkEnds;
  /**
   * The socket-owner lookup of a connection whose source neither the proxy's link identity nor the sources
   * map gives, when the owner resolver is on; `undefined` otherwise (the connection goes ahead at once).
   */
  resolveOwner(proxy: ProxyEntry, conn: Connection): Promise<OwnerResolution> | undefined;
  /** A connection's source is settled (`resolution`: the owner lookup's answer, when one ran). */
  connectionOpened(proxy: ProxyEntry, conn: Connection, resolution: OwnerResolution | undefined): void;
  /** Link toxics that apply to `ends` on `stream`, in insertion order (cuts that act on accept excluded). */
  linkToxicsFor(ends: LinkEnds, stream: Stream): ToxicDef[];
  /** Whether a `refuse` cut resets connection `ordinal` of `proxy`, whose ends are `ends` (draws toxicity). */
  refuses(proxy: ProxyEntry, ordinal: number, ends: LinkEnds): boolean;
  /** Upstream connect timeout in ms (0: none). */
  readonly dialTimeoutMs: number;
}

/** A proxy and its live state. */
export class ProxyEntry implements ConnectionOwner {
  /** The listen address: as given while never bound, the bound address (Go's `Addr().String()`) after. */
  listen: string;
  upstream: string;
  enabled = false;
  /** Toxics of both streams, in insertion order. */
  readonly toxics: ToxicDef[] = [];
  /** faultline link identity: destination name (`null`: the proxy's name) and fixed source (`null`: by address). */
  destination: string | null = null;
  source: string | null = null;
  readonly connections = new Set<Connection>();
  private server: Server | null = null;
  /** Connections accepted so far (the last one's ordinal). */
  private accepted = 0;

  constructor(
    readonly name: string,
    listen: string,
    upstream: string,
    private readonly ctx: ProxyContext,
  ) {
    this.listen = listen;
    this.upstream = upstream;
  }

  /** Binds the listener (no-op when already enabled). Throws a {@link ListenError} with Go's text. */
  async start(): Promise<void> {
    if (this.enabled) return;
    const target = await resolveListen(this.listen);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) => this.accept(sock));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => reject(bindError(target, err));
      server.once("error", onError);
      server.listen({ host: target.host, port: target.port, ipv6Only: false }, () => {
        server.off("error", onError);
        resolve();
      });
    });
    server.on("error", () => {});
    const addr = server.address();
    if (addr && typeof addr === "object") {
      this.listen =
        target.host === "::" ? formatAddress("::", addr.port) : formatAddress(addr.address, addr.port);
    }
    this.server = server;
    this.enabled = true;
  }

  /** Closes the listener and every live connection (both sockets). Idempotent. */
  stop(): void {
    this.enabled = false;
    if (this.server) {
      this.server.close();
      this.server = null;
    }
    for (const conn of [...this.connections]) conn.destroy();
  }

  /** Toxics of one stream, in chain order. */
  streamToxics(stream: Stream): ToxicDef[] {
    return this.toxics.filter((t) => t.stream === stream);
  }

  /** Re-applies toxics to every live connection (after an add, update or remove). */
  syncConnections(): void {
    for (const conn of this.connections) {
      conn.ends = this.ctx.ends(this, conn.remoteAddress, conn.ownerSource);
      conn.sync();
    }
  }

  toxicsFor(conn: Connection, stream: Stream): ToxicDef[] {
    return [...this.streamToxics(stream), ...this.ctx.linkToxicsFor(conn.ends, stream)];
  }

  connectionClosed(conn: Connection): void {
    this.connections.delete(conn);
  }

  drawsFor(conn: Connection, def: ToxicDef, stream: Stream, use: DrawUse): () => number {
    return this.ctx.draws.sequence({
      proxy: this.name,
      toxic: def.name,
      scope: def.link ? "link" : "proxy",
      connection: conn.ordinal,
      stream,
      use,
    });
  }

  /** Toxiproxy's JSON: `name, listen, upstream, enabled, Logger, toxics` (upstream toxics first). */
  toJson(): string {
    const toxics = [...this.streamToxics("upstream"), ...this.streamToxics("downstream")];
    return encodeObject([
      ["name", encodeString(this.name)],
      ["listen", encodeString(this.listen)],
      ["upstream", encodeString(this.upstream)],
      ["enabled", this.enabled ? "true" : "false"],
      ["Logger", "{}"],
      ["toxics", encodeArray(toxics.map(encodeToxic))],
    ]);
  }

  /** The same as a plain object (for events and the in-process API). */
  toPlain(): ProxyJson {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: [...this.streamToxics("upstream"), ...this.streamToxics("downstream")].map(toxicToJson),
    };
  }

  private accept(sock: Socket): void {
    if (!this.enabled) {
      sock.destroy();
      return;
    }
    const conn = new Connection(this.ctx.nextConnectionId(), ++this.accepted, this, sock, (c) =>
      this.ctx.ends(this, c.remoteAddress, c.ownerSource),
    );
    this.connections.add(conn);
    const lookup = this.ctx.resolveOwner(this, conn);
    if (!lookup) {
      this.ctx.connectionOpened(this, conn, undefined);
      this.admit(conn);
      return;
    }
    // The client socket stays paused (pauseOnConnect) and the upstream undialled until the source is known,
    // so no byte is forwarded, and no refused connection dialled, under the wrong source.
    void lookup.then((resolution) => {
      if (resolution.node !== undefined) conn.ownerSource = resolution.node;
      conn.ends = this.ctx.ends(this, conn.remoteAddress, conn.ownerSource);
      this.ctx.connectionOpened(this, conn, resolution);
      if (!this.enabled || !this.connections.has(conn) || conn.isClientClosed || conn.client.destroyed) {
        conn.destroy();
        return;
      }
      this.admit(conn);
    });
  }

  /** Applies `refuse` cuts to a connection whose source is settled, or dials its upstream. */
  private admit(conn: Connection): void {
    if (this.ctx.refuses(this, conn.ordinal, conn.ends)) {
      conn.resetConnection();
      return;
    }
    conn.dial(this.upstream, this.ctx.dialTimeoutMs);
  }
}

export type { ListenError };
