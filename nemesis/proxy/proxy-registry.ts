/**
 * The server's state and every operation on it: proxies, their toxics, faultline's link rules, and the event log.
 * The HTTP routes decode requests and call these; the in-process API could call them too. Operations that
 * bind or resolve addresses are serialised by a lock; nothing here waits on a connection, so every call
 * finishes in the time it takes to bind a port.
 */
import { freshSeed } from "../../core/random/index.js";
import { ApiError, ApiMessages } from "./api-error.js";
import { API_LIMITS, checkLength } from "./api-limits.js";
import type { Connection, LinkEnds, SourceBy } from "./connection.js";
import {
  EventLog,
  type ConnectionOpenedJson,
  type LinkIdentityJson,
  type SourceResolverJson,
} from "./event-log.js";
import { ListenError, resolveListen } from "./listen-address.js";
import { LinkRules } from "./link-rules.js";
import { ProxyEntry, type ProxyContext } from "./proxy.js";
import {
  DEFAULT_NODE_ENV_KEY,
  DEFAULT_OWNER_TIMEOUT_MS,
  OwnerResolver,
  type OwnerResolution,
  type ProcSource,
} from "./source-owner.js";
import { linkToxicToJson, toxicToJson, type ToxicDef } from "./toxic-definition.js";
import { drawApplies, seededDraws, type ToxicDraws } from "./toxic-draws.js";
import type { Stream } from "./toxic-types.js";

/** The fields a proxy is created with (`POST /proxies`, `/populate`, `--config`). */
export interface ProxySpec {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

/** A live connection as `GET /faultline/connections` lists it. */
export interface ConnectionJson {
  id: number;
  proxy: string;
  source: string;
  destination: string;
  remote: string;
  opened: string;
  /** How `source` was told: `link`, `address`, `owner` or `unknown`. */
  sourceBy: SourceBy;
}

/** Options of the registry. */
export interface RegistryOptions {
  /**
   * The seed of every toxicity, jitter, cut-point and `refuse` draw (see `toxic-draws.ts`); a fresh one when
   * omitted (then {@link ProxyRegistry.seed} says which, so the run can still be replayed).
   */
  seed?: number;
  /** Upstream connect timeout in ms; 0 for none. */
  dialTimeoutMs?: number;
  /** Where the socket-owner resolver reads `/proc` (tests pass a fake; the real one by default). */
  proc?: ProcSource;
}

/** All proxies, link rules and events of one server. */
export class ProxyRegistry {
  readonly proxies = new Map<string, ProxyEntry>();
  readonly rules = new LinkRules();
  readonly events = new EventLog();
  private readonly ctx: ProxyContext;
  private lock: Promise<unknown> = Promise.resolve();
  private connectionIds = 0;
  /** The socket-owner resolver while mode `owner` is on. */
  private ownerResolver: OwnerResolver | undefined;
  private readonly proc: ProcSource | undefined;

  constructor(options: RegistryOptions = {}) {
    const draws = seededDraws(options.seed ?? freshSeed());
    const rules = this.rules;
    this.proc = options.proc;
    this.ctx = {
      draws,
      nextConnectionId: () => ++this.connectionIds,
      ends: (proxy, addr, owner) => rules.ends(proxy, addr, owner),
      resolveOwner: (proxy, conn) => this.resolveOwner(proxy, conn),
      connectionOpened: (proxy, conn, resolution) => this.connectionOpened(proxy, conn, resolution),
      linkToxicsFor: (ends: LinkEnds, stream: Stream) => rules.chainToxics(ends, stream),
      refuses: (proxy, ordinal, ends) =>
        rules.refusals(ends).some((t) => refusalApplies(draws, proxy, ordinal, t)),
      dialTimeoutMs: options.dialTimeoutMs ?? 0,
    };
  }

  /** The seed every draw derives from. */
  get seed(): number {
    return this.ctx.draws.seed;
  }

  /** Runs `fn` after every operation queued before it (binds and resolves happen one at a time). */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** The proxy called `name`, or a 404 `proxy not found`. */
  proxy(name: string): ProxyEntry {
    const p = this.proxies.get(name);
    if (!p) throw new ApiError(404, ApiMessages.proxyNotFound);
    return p;
  }

  /** Proxy names sorted as Go sorts map keys (by UTF-8 bytes). */
  sortedNames(): string[] {
    return [...this.proxies.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /** `POST /proxies`: checks, then binds when enabled. */
  async createProxy(spec: ProxySpec): Promise<ProxyEntry> {
    checkSpec(spec, "");
    if (this.proxies.has(spec.name)) throw new ApiError(409, ApiMessages.proxyExists);
    const entry = new ProxyEntry(spec.name, spec.listen, spec.upstream, this.ctx);
    if (spec.enabled) await startOr500(entry);
    this.proxies.set(spec.name, entry);
    this.events.record("proxy.created", { proxy: entry.name, state: entry.toPlain() });
    return entry;
  }

  /** `POST/PATCH /proxies/{proxy}`: Toxiproxy's update (restart when listen or upstream differ). */
  async updateProxy(
    entry: ProxyEntry,
    input: { listen: string; upstream: string; enabled: boolean },
  ): Promise<void> {
    checkAddresses(input);
    const differs = await this.differs(entry, input.listen, input.upstream);
    if (differs) {
      entry.stop();
      entry.listen = input.listen;
      entry.upstream = input.upstream;
      this.events.record("proxy.updated", { proxy: entry.name, state: entry.toPlain() });
    }
    if (input.enabled !== entry.enabled) {
      if (input.enabled) {
        await startOr500(entry);
        this.events.record("proxy.enabled", { proxy: entry.name, state: entry.toPlain() });
      } else {
        entry.stop();
        this.events.record("proxy.disabled", { proxy: entry.name, state: entry.toPlain() });
      }
    }
  }

  /** `DELETE /proxies/{proxy}`. */
  deleteProxy(entry: ProxyEntry): void {
    entry.stop();
    this.proxies.delete(entry.name);
    this.events.record("proxy.deleted", { proxy: entry.name, state: entry.toPlain() });
  }

  /**
   * `POST /populate`: every entry is checked first (400, nothing created); then each is kept (same listen and
   * upstream), replaced, or added, in order. The first runtime error stops it; what was done stays done.
   */
  async populate(specs: readonly ProxySpec[]): Promise<{ proxies: ProxyEntry[]; error?: ApiError }> {
    specs.forEach((spec, i) => checkSpec(spec, ` at proxy ${i + 1}`));
    const done: ProxyEntry[] = [];
    for (const spec of specs) {
      try {
        const existing = this.proxies.get(spec.name);
        if (existing && !(await this.differs(existing, spec.listen, spec.upstream))) {
          done.push(existing);
          continue;
        }
        if (existing) {
          existing.stop();
          this.proxies.delete(existing.name);
          this.events.record("proxy.deleted", { proxy: existing.name, state: existing.toPlain() });
        }
        done.push(await this.createProxy(spec));
      } catch (err) {
        if (err instanceof ApiError) return { proxies: done, error: err };
        throw err;
      }
    }
    return { proxies: done };
  }

  /** `POST /reset`: re-enables every proxy and removes every toxic, proxy-level and link-level. */
  async reset(): Promise<void> {
    for (const name of this.sortedNames()) {
      const entry = this.proxies.get(name)!;
      if (!entry.enabled) {
        await startOr500(entry);
        this.events.record("proxy.enabled", { proxy: entry.name, state: entry.toPlain() });
      }
      entry.toxics.length = 0;
      entry.syncConnections();
    }
    this.rules.toxics.length = 0;
    this.syncAll();
    this.events.record("reset");
  }

  /** Adds a toxic at the end of its stream's chain and applies it to every live connection. */
  addToxic(entry: ProxyEntry, def: ToxicDef): void {
    entry.toxics.push(def);
    entry.syncConnections();
    this.events.record("toxic.added", { proxy: entry.name, toxic: toxicToJson(def) });
  }

  /** The toxic called `name` on `entry`, or a 404 `toxic not found`. */
  toxic(entry: ProxyEntry, name: string): ToxicDef {
    const def = entry.toxics.find((t) => t.name === name);
    if (!def) throw new ApiError(404, ApiMessages.toxicNotFound);
    return def;
  }

  /** Applies new attributes and toxicity to a toxic, live. */
  updateToxic(
    entry: ProxyEntry,
    def: ToxicDef,
    change: { attributes: Record<string, number>; toxicity: number },
  ): void {
    def.attributes = change.attributes;
    def.toxicity = change.toxicity;
    def.revision++;
    entry.syncConnections();
    this.events.record("toxic.updated", { proxy: entry.name, toxic: toxicToJson(def) });
  }

  /** Removes a toxic; live links flush what it held forward (a `timeout` closes its connections instead). */
  removeToxic(entry: ProxyEntry, def: ToxicDef): void {
    entry.toxics.splice(entry.toxics.indexOf(def), 1);
    entry.syncConnections();
    this.events.record("toxic.removed", { proxy: entry.name, toxic: toxicToJson(def) });
  }

  /** Replaces (`replace`) or merges the sources map; a `null` value deletes an address. */
  setSources(sources: ReadonlyMap<string, string | null>, replace: boolean): void {
    if (replace) this.rules.sources.clear();
    for (const [addr, name] of sources) {
      if (name === null) this.rules.sources.delete(addr);
      else this.rules.sources.set(addr, name);
    }
    this.syncAll();
    this.events.record("sources.changed", { sources: this.rules.sourcesObject() });
  }

  /** The source resolver's settings. */
  sourceResolver(): SourceResolverJson {
    const r = this.ownerResolver;
    return r
      ? { mode: "owner", runId: r.runId ?? null, envKey: r.envKey, timeoutMs: r.timeoutMs }
      : { mode: "address", runId: null, envKey: DEFAULT_NODE_ENV_KEY, timeoutMs: DEFAULT_OWNER_TIMEOUT_MS };
  }

  /**
   * Switches the source resolver: `owner` resolves every later connection that neither its proxy's link
   * identity nor the sources map names by the process holding its other end; `address` (the default) turns
   * that off. Connections already accepted keep their source.
   */
  setSourceResolver(config: SourceResolverJson): void {
    this.ownerResolver =
      config.mode === "owner"
        ? new OwnerResolver({
            ...(config.runId !== null ? { runId: config.runId } : {}),
            envKey: config.envKey,
            timeoutMs: config.timeoutMs,
            ...(this.proc ? { proc: this.proc } : {}),
          })
        : undefined;
    void this.ownerResolver?.warm();
    this.events.record("source-resolver.changed", { resolver: this.sourceResolver() });
  }

  /** A proxy's link identity. */
  linkIdentity(entry: ProxyEntry): LinkIdentityJson {
    return { proxy: entry.name, destination: entry.destination ?? entry.name, source: entry.source };
  }

  /** Changes a proxy's link identity (`undefined` keeps a field; `null` goes back to the default). */
  setLinkIdentity(entry: ProxyEntry, change: { destination?: string | null; source?: string | null }): void {
    if (change.destination !== undefined) entry.destination = change.destination;
    if (change.source !== undefined) entry.source = change.source;
    entry.syncConnections();
    this.events.record("link.changed", { proxy: entry.name, link: this.linkIdentity(entry) });
  }

  /** Adds a link toxic; a `refuse` also resets the matching live connections. */
  addLinkToxic(def: ToxicDef): void {
    this.rules.toxics.push(def);
    this.syncAll();
    if (def.type === "refuse") {
      for (const entry of this.proxies.values()) {
        for (const conn of entry.connections) {
          if (
            this.rules.refusals(conn.ends).includes(def) &&
            refusalApplies(this.ctx.draws, entry, conn.ordinal, def)
          ) {
            conn.resetConnection();
          }
        }
      }
    }
    this.events.record("link-toxic.added", { toxic: linkToxicToJson(def) });
  }

  /** The link toxic called `name`, or a 404 `toxic not found`. */
  linkToxic(name: string): ToxicDef {
    const def = this.rules.find(name);
    if (!def) throw new ApiError(404, ApiMessages.toxicNotFound);
    return def;
  }

  /** Applies new attributes and toxicity to a link toxic, live. */
  updateLinkToxic(def: ToxicDef, change: { attributes: Record<string, number>; toxicity: number }): void {
    def.attributes = change.attributes;
    def.toxicity = change.toxicity;
    def.revision++;
    this.syncAll();
    this.events.record("link-toxic.updated", { toxic: linkToxicToJson(def) });
  }

  /** Removes link toxics (all of them when `defs` is omitted). */
  removeLinkToxics(defs: readonly ToxicDef[] = [...this.rules.toxics]): void {
    for (const def of defs) this.rules.toxics.splice(this.rules.toxics.indexOf(def), 1);
    this.syncAll();
    for (const def of defs) this.events.record("link-toxic.removed", { toxic: linkToxicToJson(def) });
  }

  /** Every live connection, by id. */
  connections(): ConnectionJson[] {
    const out: ConnectionJson[] = [];
    for (const entry of this.proxies.values()) {
      for (const c of entry.connections) {
        out.push({
          id: c.id,
          proxy: entry.name,
          source: c.ends.source,
          destination: c.ends.destination,
          remote: c.remote,
          opened: c.opened.toISOString(),
          sourceBy: c.ends.sourceBy ?? "unknown",
        });
      }
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Stops every proxy (closes listeners and connections). */
  stopAll(): void {
    for (const entry of this.proxies.values()) entry.stop();
    this.events.wakeAll();
  }

  private resolveOwner(proxy: ProxyEntry, conn: Connection): Promise<OwnerResolution> | undefined {
    const resolver = this.ownerResolver;
    if (!resolver || conn.ends.sourceBy === "link" || conn.ends.sourceBy === "address") return undefined;
    return resolver.resolve({
      remoteAddress: conn.remoteAddress,
      remotePort: conn.remotePort,
      localAddress: conn.client.localAddress ?? "",
      localPort: conn.client.localPort ?? 0,
    });
  }

  /** Records `connection.opened` while the owner resolver is on (the event log stays as it was otherwise). */
  private connectionOpened(
    proxy: ProxyEntry,
    conn: Connection,
    resolution: OwnerResolution | undefined,
  ): void {
    if (!this.ownerResolver && !resolution) return;
    const opened: ConnectionOpenedJson = {
      id: conn.id,
      proxy: proxy.name,
      remote: conn.remote,
      source: conn.ends.source,
      destination: conn.ends.destination,
      sourceBy: conn.ends.sourceBy ?? "unknown",
    };
    if (resolution) {
      if (resolution.node !== undefined) {
        opened.pid = resolution.pid;
        opened.nodePid = resolution.nodePid;
      } else opened.reason = resolution.reason;
      opened.ms = resolution.ms;
    }
    this.events.record("connection.opened", { proxy: proxy.name, connection: opened });
  }

  private syncAll(): void {
    for (const entry of this.proxies.values()) entry.syncConnections();
  }

  /** Toxiproxy's `Differs`: the resolved new listen differs from the current one, or the upstream does. */
  private async differs(entry: ProxyEntry, listen: string, upstream: string): Promise<boolean> {
    let resolved: string;
    try {
      resolved = (await resolveListen(listen)).display;
    } catch (err) {
      if (err instanceof ListenError) throw new ApiError(500, err.message);
      throw err;
    }
    return resolved !== entry.listen || upstream !== entry.upstream;
  }
}

function checkSpec(spec: ProxySpec, suffix: string): void {
  if (spec.name === "") throw new ApiError(400, ApiMessages.missingField("name") + suffix);
  if (spec.upstream === "") throw new ApiError(400, ApiMessages.missingField("upstream") + suffix);
  try {
    checkLength("name", spec.name, API_LIMITS.nameLength);
    checkAddresses(spec);
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError(err.status, err.message + suffix);
    throw err;
  }
}

function checkAddresses(spec: { listen: string; upstream: string }): void {
  checkLength("listen", spec.listen, API_LIMITS.addressLength);
  checkLength("upstream", spec.upstream, API_LIMITS.addressLength);
}

async function startOr500(entry: ProxyEntry): Promise<void> {
  try {
    await entry.start();
  } catch (err) {
    if (err instanceof ListenError) throw new ApiError(500, err.message);
    throw err;
  }
}

/** The `refuse` decision for one connection: the first draw of its own (proxy, toxic, connection) sequence. */
function refusalApplies(draws: ToxicDraws, proxy: ProxyEntry, ordinal: number, def: ToxicDef): boolean {
  const next = draws.sequence({
    proxy: proxy.name,
    toxic: def.name,
    scope: "link",
    connection: ordinal,
    stream: "accept",
    use: "toxicity",
  });
  return drawApplies(def.toxicity, next);
}
