/**
 * A typed client for faultline's extension routes (`/faultline/…`, EXTENSIONS.md). The standard Toxiproxy
 * routes are driven with `toxiproxy-node-client`, so the same harness code works against a real Toxiproxy.
 * Every request has a deadline; every failure is a `FaultlineError`.
 */
import type {
  ConnectionJson,
  LinkIdentityJson,
  LinkToxicJson,
  LinkToxicType,
  ProxyEvent,
  SourceResolverJson,
  Stream,
} from "../proxy/index.js";
import { DEFAULT_TIMEOUT_MS, request } from "./request.js";

/** A link toxic to add: the selector and type are required, the rest defaults as in Toxiproxy. */
export interface NewLinkToxic {
  source: string;
  destination: string;
  type: LinkToxicType;
  name?: string;
  stream?: Stream;
  toxicity?: number;
  attributes?: Record<string, number>;
}

/** A page of events from the long-poll. */
export interface EventPage {
  events: ProxyEvent[];
  /** Pass as `since` next time. */
  next: number;
}

/** Client for one faultline proxy server's extension routes. */
export class FaultlineProxyClient {
  private readonly timeoutMs: number;

  constructor(
    /** Base URL of the API, e.g. `http://127.0.0.1:8474`. */
    readonly url: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The sources map (client address → node name). */
  async getSources(): Promise<Record<string, string>> {
    return (await this.call<{ sources: Record<string, string> }>("GET", "/faultline/sources")).sources;
  }

  /** Replaces the sources map. */
  async setSources(sources: Record<string, string>): Promise<Record<string, string>> {
    return (await this.call<{ sources: Record<string, string> }>("PUT", "/faultline/sources", { sources }))
      .sources;
  }

  /** Merges into the sources map; `null` removes an address. */
  async patchSources(sources: Record<string, string | null>): Promise<Record<string, string>> {
    return (await this.call<{ sources: Record<string, string> }>("PATCH", "/faultline/sources", { sources }))
      .sources;
  }

  /** How the server tells connections' sources apart (`GET /faultline/source-resolver`). */
  async getSourceResolver(): Promise<SourceResolverJson> {
    return this.call("GET", "/faultline/source-resolver");
  }

  /**
   * Sets the source resolver (`POST /faultline/source-resolver`). `mode: "owner"` names a connection that
   * neither its proxy's link identity nor the sources map names by the node of the local process holding its
   * other end (the nearest process, itself or an ancestor, whose `envKey` variable, default `FAULTLINE_NODE`,
   * names a node, and whose `FAULTLINE_RUN_ID` is `runId` when given); `mode: "address"` turns that off.
   * Applies to connections accepted afterwards. Answers the settings in force.
   *
   * @example
   * await fl.setSourceResolver({ mode: "owner", runId: tag.runId });
   */
  async setSourceResolver(config: {
    mode: "owner" | "address";
    runId?: string | null;
    envKey?: string;
    timeoutMs?: number;
  }): Promise<SourceResolverJson> {
    return this.call("POST", "/faultline/source-resolver", config);
  }

  /** A proxy's link identity. */
  async getLink(proxy: string): Promise<LinkIdentityJson> {
    return this.call("GET", `/faultline/proxies/${encodeURIComponent(proxy)}/link`);
  }

  /** Sets a proxy's destination name and/or fixed source (`null` restores the default). */
  async setLink(
    proxy: string,
    link: { destination?: string | null; source?: string | null },
  ): Promise<LinkIdentityJson> {
    return this.call("PUT", `/faultline/proxies/${encodeURIComponent(proxy)}/link`, link);
  }

  /** Every link toxic, in insertion order. */
  async listLinkToxics(): Promise<LinkToxicJson[]> {
    return this.call("GET", "/faultline/toxics");
  }

  /** Adds a link toxic (a cut or any Toxiproxy toxic on one link). */
  async addLinkToxic(toxic: NewLinkToxic): Promise<LinkToxicJson> {
    return this.call("POST", "/faultline/toxics", toxic);
  }

  /**
   * Removes and adds link toxics as one change (`POST /faultline/batch`): a partition of many links starts and
   * heals at one instant. Nothing is applied unless every entry is valid.
   */
  async batchLinkToxics(change: { add?: NewLinkToxic[]; remove?: string[] }): Promise<LinkToxicJson[]> {
    return this.call("POST", "/faultline/batch", { add: change.add ?? [], remove: change.remove ?? [] });
  }

  /** One link toxic. */
  async getLinkToxic(name: string): Promise<LinkToxicJson> {
    return this.call("GET", `/faultline/toxics/${encodeURIComponent(name)}`);
  }

  /** Updates a link toxic's attributes (merged) and/or toxicity. */
  async updateLinkToxic(
    name: string,
    change: { attributes?: Record<string, number>; toxicity?: number },
  ): Promise<LinkToxicJson> {
    return this.call("PATCH", `/faultline/toxics/${encodeURIComponent(name)}`, change);
  }

  /** Removes one link toxic. */
  async removeLinkToxic(name: string): Promise<void> {
    await this.call("DELETE", `/faultline/toxics/${encodeURIComponent(name)}`);
  }

  /** Removes every link toxic (heals every link). */
  async removeAllLinkToxics(): Promise<void> {
    await this.call("DELETE", "/faultline/toxics");
  }

  /** Live connections with their link ends. */
  async listConnections(): Promise<ConnectionJson[]> {
    return this.call("GET", "/faultline/connections");
  }

  /**
   * Events after `since`; with `waitMs`, waits up to that long (≤ 10 s) for one. The request deadline is
   * extended by `waitMs`.
   */
  async pollEvents(options: { since?: number; waitMs?: number } = {}): Promise<EventPage> {
    const since = options.since ?? 0;
    const wait = options.waitMs ?? 0;
    return this.call(
      "GET",
      `/faultline/events?since=${since}&wait=${wait}`,
      undefined,
      this.timeoutMs + wait,
    );
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const { text } = await request(this.url, method, path, { body, timeoutMs });
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
  }
}
