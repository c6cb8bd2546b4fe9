/**
 * Every change the proxy server makes is an event: numbered, timestamped, kept in a ring of the last
 * {@link EVENT_RING_SIZE}, emitted in-process (`"event"` on the emitter), and served to long-polling HTTP
 * clients (`GET /faultline/events?since=&wait=`).
 */
import { EventEmitter } from "node:events";
import type { LinkToxicJson, ToxicJson } from "./toxic-definition.js";
import type { ProxyJson } from "./proxy.js";
import type { SourceBy } from "./connection.js";

/** How many events the ring keeps. */
export const EVENT_RING_SIZE = 10_000;

/** The kinds of change (EXTENSIONS.md "Events"). */
export type ProxyEventKind =
  | "proxy.created"
  | "proxy.updated"
  | "proxy.enabled"
  | "proxy.disabled"
  | "proxy.deleted"
  | "toxic.added"
  | "toxic.updated"
  | "toxic.removed"
  | "link-toxic.added"
  | "link-toxic.updated"
  | "link-toxic.removed"
  | "sources.changed"
  | "link.changed"
  | "source-resolver.changed"
  | "connection.opened"
  | "reset";

/** A proxy's link identity (`GET /faultline/proxies/{proxy}/link`). */
export interface LinkIdentityJson {
  proxy: string;
  destination: string;
  source: string | null;
}

/** How the proxy tells connections' sources apart (`GET`/`POST /faultline/source-resolver`). */
export interface SourceResolverJson {
  /** `address`: the sources map only (the default); `owner`: then the socket owner's node. */
  mode: "address" | "owner";
  /** Only processes of this run are candidates (`null`: any process naming a node). */
  runId: string | null;
  /** The environment variable naming a process's node. */
  envKey: string;
  /** The bound on one lookup, in ms. */
  timeoutMs: number;
}

/** A connection whose source is settled (`connection.opened`, recorded while the owner resolver is on). */
export interface ConnectionOpenedJson {
  id: number;
  proxy: string;
  /** The client's `address:port`. */
  remote: string;
  source: string;
  destination: string;
  /** How the source was told. */
  sourceBy: SourceBy;
  /** The process holding the client's socket (owner lookups that found it). */
  pid?: number;
  /** The process whose environment named the node: `pid` or its nearest such ancestor. */
  nodePid?: number;
  /** Why the owner lookup found no node (`no-socket`, `no-owner`, `timeout`, `error`). */
  reason?: string;
  /** How long the owner lookup took, in ms (absent when none ran). */
  ms?: number;
}

/** One change. Proxy events carry `proxy` and `state`; toxic events `proxy` and `toxic`; and so on. */
export interface ProxyEvent {
  /** 1, 2, 3 … in the order the changes happened. */
  seq: number;
  /** ISO 8601 wall-clock time of the change. */
  at: string;
  kind: ProxyEventKind;
  /** The proxy the change is about (absent for link toxics, sources and reset). */
  proxy?: string;
  /** The proxy after the change (`proxy.*` events). */
  state?: ProxyJson;
  /** The toxic after the change, or as it was when removed (`toxic.*`, `link-toxic.*`). */
  toxic?: ToxicJson | LinkToxicJson;
  /** The whole sources map after the change (`sources.changed`). */
  sources?: Record<string, string>;
  /** The proxy's link identity after the change (`link.changed`). */
  link?: LinkIdentityJson;
  /** The source resolver after the change (`source-resolver.changed`). */
  resolver?: SourceResolverJson;
  /** The connection and how its source was told (`connection.opened`). */
  connection?: ConnectionOpenedJson;
}

/** The event ring, the in-process emitter and the long-poll waiters. */
export class EventLog {
  /** Emits `"event"` with each {@link ProxyEvent}. */
  readonly emitter = new EventEmitter();
  private readonly ring: ProxyEvent[] = [];
  private seq = 0;
  private waiters = new Set<() => void>();

  /** Records an event and wakes every waiter. */
  record(kind: ProxyEventKind, fields: Omit<ProxyEvent, "seq" | "at" | "kind"> = {}): ProxyEvent {
    const event: ProxyEvent = { seq: ++this.seq, at: new Date().toISOString(), kind, ...fields };
    this.ring.push(event);
    if (this.ring.length > EVENT_RING_SIZE) this.ring.shift();
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
    this.emitter.emit("event", event);
    return event;
  }

  /** The sequence number of the latest event (0 before the first). */
  get latest(): number {
    return this.seq;
  }

  /** Events with `seq > since`, oldest first. */
  since(since: number): ProxyEvent[] {
    const first = this.ring[0]?.seq ?? this.seq + 1;
    return this.ring.slice(Math.max(0, since + 1 - first));
  }

  /** Resolves when an event after `since` exists, `waitMs` passes, or {@link EventLog.wakeAll} is called. */
  async waitFor(since: number, waitMs: number): Promise<void> {
    if (this.seq > since || waitMs <= 0) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.waiters.add(done);
    });
  }

  /** Answers every pending long-poll now (server shutdown). */
  wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }
}
