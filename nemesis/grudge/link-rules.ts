import type { Grudge } from "./grudge.js";
import { roleOf, type Topology } from "./topology.js";

/** A stream of a proxied connection: `upstream` = initiator→acceptor bytes, `downstream` = acceptor→initiator. */
export type Stream = "upstream" | "downstream";

/**
 * A link-toxic selector of faultline's proxy (`nemesis/proxy/EXTENSIONS.md`): the connections whose initiator
 * is `source` and acceptor is `destination`, and which of their two byte streams to hold.
 */
export interface LinkRule {
  /** The endpoint that opens the connection. */
  readonly source: string;
  /** The endpoint that accepts it. */
  readonly destination: string;
  readonly stream: Stream;
}

/** Options of {@link grudgeToLinkRules}. */
export interface LinkRuleOptions {
  /**
   * Leave out rules for connections that the store never opens (see {@link canInitiate}). Off by default:
   * a spare rule costs nothing, a missing one is a partition that leaks.
   */
  readonly prune?: boolean;
}

/**
 * Translates a grudge into proxy link-toxic selectors.
 *
 * A TCP connection opened by X to Y carries X→Y bytes **upstream** and Y→X bytes **downstream**. Bytes from A to
 * B can therefore travel on two kinds of connection, and "A cannot send to B" needs two rules:
 *
 * - `{ source: A, destination: B, stream: "upstream" }`: A's own connections to B (A's requests);
 * - `{ source: B, destination: A, stream: "downstream" }`: B's connections to A (A's replies).
 *
 * A symmetric cut of A and B is the four rules for (A→B) and (B→A); a one-way cut is two. Rules come in the
 * grudge's pair order, upstream rule first.
 *
 * The rules say *which* streams to stop, not *how*: installed as `blackhole` toxics they hold exactly those
 * bytes, so a one-way grudge stays one-way. A `refuse` toxic resets the whole matching connection, so either of
 * its rules stops both directions of that connection: fine for symmetric partitions, wrong for one-way cuts.
 *
 * With `prune`, rules for connections that cannot exist are dropped ({@link canInitiate}): only the data-node
 * and manager facts that hold whichever node leads are used, so a rule that matters after a failover (the old
 * leader replicating from the new one) is always kept.
 *
 * @example
 * grudgeToLinkRules(oneWay(topology, ["n2"], ["n1"]));
 * // [{ source: "n2", destination: "n1", stream: "upstream" }, { source: "n1", destination: "n2", stream: "downstream" }]
 */
export function grudgeToLinkRules(grudge: Grudge, options: LinkRuleOptions = {}): LinkRule[] {
  const rules: LinkRule[] = [];
  const keep = (source: string, destination: string): boolean =>
    !options.prune || canInitiate(grudge.topology, source, destination);
  for (const { from, to } of grudge.blocked) {
    if (keep(from, to)) rules.push({ source: from, destination: to, stream: "upstream" });
    if (keep(to, from)) rules.push({ source: to, destination: from, stream: "downstream" });
  }
  return rules;
}

/**
 * Whether `initiator` may ever open a connection to `acceptor`, by the topology's connection matrix (the store's
 * `connects`; without one, anyone may connect to any server and nobody to a client). Names outside the topology,
 * and an endpoint to itself, never connect.
 */
export function canInitiate(topology: Topology, initiator: string, acceptor: string): boolean {
  if (initiator === acceptor) return false;
  const from = roleOf(topology, initiator);
  const to = roleOf(topology, acceptor);
  if (from === undefined || to === undefined || to === "client") return false;
  return topology.connects ? topology.connects(from, to) : true;
}
