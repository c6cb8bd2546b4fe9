/**
 * faultline's per-link knowledge: the sources map (client address → node name) and the link toxics, each
 * selecting connections by (source, destination) and one stream. A connection's source is its proxy's fixed
 * source, else the name the sources map gives its address, else the node the socket-owner resolver named
 * for it (when enabled), else `"unknown"`; its destination is its proxy's destination name, else the proxy's
 * name.
 */
import type { LinkEnds, SourceBy } from "./connection.js";
import type { ProxyEntry } from "./proxy.js";
import type { ToxicDef } from "./toxic-definition.js";
import type { Stream } from "./toxic-types.js";

/** The source name of a connection whose address is not in the sources map. */
export const UNKNOWN_SOURCE = "unknown";

/** The sources map and the link toxics. */
export class LinkRules {
  /** Remote IP address → node name. */
  readonly sources = new Map<string, string>();
  /** Link toxics, in insertion order. */
  readonly toxics: ToxicDef[] = [];

  /**
   * The link ends of a connection from `remoteAddress` accepted by `proxy`, whose socket owner was resolved
   * to node `owner` (`undefined`: not resolved, or not found).
   */
  ends(proxy: ProxyEntry, remoteAddress: string, owner?: string): LinkEnds {
    const destination = proxy.destination ?? proxy.name;
    const [source, sourceBy]: [string, SourceBy] =
      proxy.source !== null
        ? [proxy.source, "link"]
        : this.sources.has(remoteAddress)
          ? [this.sources.get(remoteAddress)!, "address"]
          : owner !== undefined
            ? [owner, "owner"]
            : [UNKNOWN_SOURCE, "unknown"];
    return { source, destination, sourceBy };
  }

  /** Link toxics that run in the chain of `stream` for these ends (`refuse` acts on accept instead). */
  chainToxics(ends: LinkEnds, stream: Stream): ToxicDef[] {
    return this.toxics.filter((t) => t.type !== "refuse" && t.stream === stream && matches(t, ends));
  }

  /** `refuse` toxics that select these ends. */
  refusals(ends: LinkEnds): ToxicDef[] {
    return this.toxics.filter((t) => t.type === "refuse" && matches(t, ends));
  }

  /** The link toxic called `name`. */
  find(name: string): ToxicDef | undefined {
    return this.toxics.find((t) => t.name === name);
  }

  /** The sources map as a plain object, in insertion order. */
  sourcesObject(): Record<string, string> {
    return Object.fromEntries(this.sources);
  }
}

/** Whether a link toxic's selector matches a connection's ends (`*` matches anything). */
export function matches(def: ToxicDef, ends: LinkEnds): boolean {
  const sel = def.link;
  if (!sel) return false;
  return (
    (sel.source === "*" || sel.source === ends.source) &&
    (sel.destination === "*" || sel.destination === ends.destination)
  );
}
