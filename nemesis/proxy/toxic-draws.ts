/**
 * Where the proxy's random draws come from: the toxicity draw that decides whether a toxic applies to a
 * connection, latency jitter, slicer cut points and `refuse` decisions. Every draw comes from the server's seed,
 * never from an unseeded source, so a run replayed with its seed replays its faults too (STYLE.md §11).
 *
 * Each (proxy, toxic, connection ordinal on that proxy, stream, use) has its own independent sequence of draws,
 * derived from the seed and that key alone. Draws therefore do not depend on how connections to *different*
 * proxies interleave in time: the n-th connection to proxy `p` meets toxic `t` with the same draws whenever it
 * opens. Toxicity decisions (`use: "toxicity"`) have a sequence apart from the per-chunk draws (`use: "chunks"`:
 * jitter, cut points), so how the bytes happened to be chunked never shifts a decision, even a re-draw after an
 * update.
 */
import { createRandom } from "../../core/random/index.js";
import type { Stream } from "./toxic-types.js";

/** What a sequence of draws belongs to. */
export interface DrawKey {
  /** The proxy that accepted the connection. */
  readonly proxy: string;
  /** The toxic's name. */
  readonly toxic: string;
  /** `proxy`: a toxic of that proxy; `link`: one of faultline's link toxics (their names are a separate namespace). */
  readonly scope: "proxy" | "link";
  /** The connection's ordinal on its proxy: 1 for the first connection it accepted, 2 for the next, … */
  readonly connection: number;
  /** The direction the toxic acts on, or `accept` for the `refuse` decision made when a connection arrives. */
  readonly stream: Stream | "accept";
  /** `toxicity`: whether the toxic applies (drawn at start and at each update); `chunks`: jitter and cut points. */
  readonly use: DrawUse;
}

/** What a sequence of draws decides. */
export type DrawUse = "toxicity" | "chunks";

/** A source of reproducible draws, one independent sequence per {@link DrawKey}. */
export interface ToxicDraws {
  /** The seed everything is derived from (logged, so a run can be replayed). */
  readonly seed: number;
  /**
   * A fresh sequence of uniform numbers in [0, 1) for `key`. Asking twice for the same key starts the same
   * sequence again.
   */
  sequence(key: DrawKey): () => number;
}

/**
 * Draws derived from a 32-bit seed.
 *
 * @example
 * const draws = seededDraws(42);
 * const key = { proxy: "n1", toxic: "slow", scope: "proxy", connection: 1, stream: "downstream" } as const;
 * const next = draws.sequence({ ...key, use: "toxicity" });
 * const applies = next() < 0.5; // the same on every server started with seed 42
 */
export function seededDraws(seed: number): ToxicDraws {
  const root = createRandom(seed);
  return {
    seed: root.seed,
    sequence(key: DrawKey): () => number {
      // JSON keeps two keys whose fields differ only in where a name ends from sharing one label.
      const rng = root.fork(
        JSON.stringify([key.scope, key.proxy, key.toxic, key.connection, key.stream, key.use]),
      );
      return () => rng.next();
    },
  };
}

/** Whether a toxic with this toxicity applies, given a draw source (toxicity ≥ 1 and ≤ 0 never draw). */
export function drawApplies(toxicity: number, next: () => number): boolean {
  return toxicity >= 1 || (toxicity > 0 && next() < toxicity);
}
