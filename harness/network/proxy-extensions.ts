/**
 * The parts of faultline's proxy API that Toxiproxy's does not cover (`nemesis/proxy/EXTENSIONS.md`): the
 * sources map, link identities and link toxics. Plain `fetch` with a per-request deadline, because a proxy that
 * hangs must not hang the run.
 */

/** A link toxic as EXTENSIONS.md defines it. */
export interface LinkToxic {
  name: string;
  type: string;
  stream: "upstream" | "downstream";
  toxicity?: number;
  attributes?: Record<string, unknown>;
  source: string;
  destination: string;
}

/** A small client for faultline's proxy extensions. */
export class ProxyExtensions {
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(baseUrl: string, timeoutMs = 5000) {
    this.#base = baseUrl.replace(/\/$/, "");
    this.#timeoutMs = timeoutMs;
  }

  /** Replaces the map from source address to node name. */
  async setSources(sources: Record<string, string>): Promise<void> {
    await this.#request("PUT", "/faultline/sources", { sources });
  }

  /** Sets who a proxy's connections come from and go to (per-client listeners). */
  async setLink(proxy: string, link: { source?: string | null; destination?: string }): Promise<void> {
    await this.#request("PUT", `/faultline/proxies/${encodeURIComponent(proxy)}/link`, link);
  }

  /** Adds a link toxic. */
  async addLinkToxic(toxic: LinkToxic): Promise<void> {
    await this.#request("POST", "/faultline/toxics", toxic);
  }

  /** Removes every link toxic (heals every link). */
  async removeAllLinkToxics(): Promise<void> {
    await this.#request("DELETE", "/faultline/toxics");
  }

  /** The link toxics in place. */
  async linkToxics(): Promise<LinkToxic[]> {
    return (await this.#request("GET", "/faultline/toxics")) as LinkToxic[];
  }

  async #request(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(this.#base + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`proxy ${method} ${path} answered ${res.status}: ${text.trim()}`);
    return text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
  }
}
