/**
 * Targets of a fault window, as selectors resolved when the fault fires (the leader is whoever the failover
 * managers say it is at that moment), and the static rule that tells whether two selectors may ever name the
 * same process or link.
 */

/**
 * Process selectors that are resolved when the fault fires. `consensus-leader` is the failover manager the
 * consensus store's members name as their own leader (a Raft leader), for clusters that can say
 * (`HasConsensusLeader`).
 */
export const DYNAMIC_PROCESS_SELECTORS = [
  "leader",
  "random-follower",
  "all-followers",
  "random-node",
  "all-nodes",
  "random-manager",
  "all-managers",
  "consensus-leader",
] as const;

/** One of {@link DYNAMIC_PROCESS_SELECTORS}. */
export type DynamicProcessSelector = (typeof DYNAMIC_PROCESS_SELECTORS)[number];

/** A process by name: a data node `nK` or a failover manager `sK` (K ≥ 1). */
export type NamedProcess = `n${number}` | `s${number}`;

/** Which processes a process fault (kill, pause, clock, isolate) acts on. */
export type ProcessSelector = DynamicProcessSelector | NamedProcess;

/** Link selectors resolved when the fault fires; each names a class of proxied connections. */
export const DYNAMIC_LINK_SELECTORS = [
  "replication",
  "client-leader",
  "client-nodes",
  "client-managers",
  "manager-nodes",
  "manager-gossip",
] as const;

/** One of {@link DYNAMIC_LINK_SELECTORS}. */
export type DynamicLinkSelector = (typeof DYNAMIC_LINK_SELECTORS)[number];

/** One connection kind by name, `initiator->acceptor`, e.g. `n2->n1` (n2's replication link to n1). */
export type NamedLink = `${string}->${string}`;

/** Which proxied connections a link fault (latency, bandwidth, reset…) acts on. */
export type LinkSelector = DynamicLinkSelector | NamedLink;

const NAMED_PROCESS = /^[ns][1-9]\d*$/;
/** Connections a single-leader store opens: client→node, client→manager, node→node, manager→node, manager→manager. */
const NAMED_LINK = /^(?:c[1-9]\d*->[ns]|n[1-9]\d*->n|s[1-9]\d*->[ns])[1-9]\d*$/;

/** Whether `text` is a {@link ProcessSelector}. */
export function isProcessSelector(text: string): text is ProcessSelector {
  return (DYNAMIC_PROCESS_SELECTORS as readonly string[]).includes(text) || NAMED_PROCESS.test(text);
}

/** Whether `text` is a {@link LinkSelector} naming a connection such a store can open. */
export function isLinkSelector(text: string): text is LinkSelector {
  return (DYNAMIC_LINK_SELECTORS as readonly string[]).includes(text) || NAMED_LINK.test(text);
}

/** Whether a process selector can name more than one process (`all-…`). */
export function isGroupSelector(selector: ProcessSelector): boolean {
  return selector.startsWith("all-");
}

/** Whether a selector names a data node (`node`) or a failover manager (`manager`). */
export function processDomain(selector: ProcessSelector): "node" | "manager" {
  if (NAMED_PROCESS.test(selector)) return selector.startsWith("s") ? "manager" : "node";
  return selector === "random-manager" || selector === "all-managers" || selector === "consensus-leader"
    ? "manager"
    : "node";
}

/**
 * Whether two process selectors may ever resolve to a common process. Data-node selectors never meet manager
 * selectors, and two different names never meet. Any dynamic selector may meet any selector of its domain: the
 * leader at one moment can be "a random follower" at the next, after a failover. This is deliberately
 * conservative, so a schedule that passes it cannot make two faults fight over one process, whatever the
 * cluster does.
 */
export function processSelectorsMayOverlap(a: ProcessSelector, b: ProcessSelector): boolean {
  if (processDomain(a) !== processDomain(b)) return false;
  if (NAMED_PROCESS.test(a) && NAMED_PROCESS.test(b)) return a === b;
  return true;
}

/** The connection class of a link selector: initiator role and acceptor role, e.g. `node>node`. */
export function linkClass(selector: LinkSelector): string {
  switch (selector) {
    case "replication":
      return "node>node";
    case "client-leader":
    case "client-nodes":
      return "client>node";
    case "client-managers":
      return "client>manager";
    case "manager-nodes":
      return "manager>node";
    case "manager-gossip":
      return "manager>manager";
    default: {
      const role = (c: string): string => (c === "c" ? "client" : c === "n" ? "node" : "manager");
      const [from, to] = selector.split("->") as [string, string];
      return `${role(from[0] as string)}>${role(to[0] as string)}`;
    }
  }
}

/**
 * Whether two link selectors may ever resolve to a common connection: never across connection classes, never
 * for two different named links, otherwise yes (conservative, as {@link processSelectorsMayOverlap}).
 */
export function linkSelectorsMayOverlap(a: LinkSelector, b: LinkSelector): boolean {
  if (linkClass(a) !== linkClass(b)) return false;
  if (NAMED_LINK.test(a) && NAMED_LINK.test(b)) return a === b;
  return true;
}
