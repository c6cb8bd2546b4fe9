import type { LinkCutStyle, LinkRule } from "../../core/cluster/index.js";

/** What happens to bytes on one stream of a link: they flow, are held (`blackhole`) or reset the connection. */
export type StreamState = "flows" | LinkCutStyle;

/** One installed cut: its rules and style, removable on its own. */
interface Cut {
  readonly rules: readonly LinkRule[];
  readonly style: LinkCutStyle;
}

/**
 * The simulated network: the set of cut streams of (initiator → acceptor) connections, as the nemesis's link
 * rules name them. A message from the initiator of a connection travels `upstream`, its reply `downstream`; a
 * cut stream stops it. A `refuse` cut resets the whole connection, so it stops both streams at once.
 */
export class SimNetwork {
  private readonly cuts = new Set<Cut>();

  /** Installs a cut; the returned function removes just this one. */
  cut(rules: readonly LinkRule[], style: LinkCutStyle): () => void {
    const cut: Cut = { rules: [...rules], style };
    this.cuts.add(cut);
    return () => void this.cuts.delete(cut);
  }

  /** Removes every cut. */
  healAll(): void {
    this.cuts.clear();
  }

  /** Every cut in effect, in words (empty when every link is healthy). */
  describe(): string[] {
    return [...this.cuts].flatMap((c) =>
      c.rules.map((r) => `${c.style} ${r.source}->${r.destination} ${r.stream}`),
    );
  }

  /** What happens to `stream` of the connections `initiator` opens to `acceptor`. */
  stream(initiator: string, acceptor: string, stream: "upstream" | "downstream"): StreamState {
    let state: StreamState = "flows";
    for (const c of this.cuts) {
      for (const r of c.rules) {
        if (r.source !== initiator || r.destination !== acceptor) continue;
        // A reset stops the whole connection; a blackhole only its own stream.
        if (c.style === "refuse") return "refuse";
        if (r.stream === stream) state = "blackhole";
      }
    }
    return state;
  }

  /** Whether a request from `initiator` to `acceptor` gets there and its reply comes back. */
  roundTrip(initiator: string, acceptor: string): boolean {
    return (
      this.stream(initiator, acceptor, "upstream") === "flows" &&
      this.stream(initiator, acceptor, "downstream") === "flows"
    );
  }
}
