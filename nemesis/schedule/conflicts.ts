import { windowEnd, type FaultWindow } from "./fault-window.js";
import {
  linkSelectorsMayOverlap,
  processSelectorsMayOverlap,
  type LinkSelector,
  type ProcessSelector,
} from "./selectors.js";

/**
 * What a window holds while it is active:
 *
 * - kill, pause and clock hold their target **processes** (a kill and a pause of one node, or a clock restart
 *   and a kill, would undo each other);
 * - every partition holds **the network** (two grudges at once would have to be merged, and healing one would
 *   heal part of the other);
 * - latency and link faults hold their **links** (two toxics of one kind on one link collide in the proxy).
 *
 * Partitions and link faults do not hold processes, so a leader can be paused while it is partitioned.
 */
export type Claim =
  | { readonly on: "process"; readonly selector: ProcessSelector }
  | { readonly on: "network" }
  | { readonly on: "link"; readonly selector: LinkSelector };

/** The claims of a window (see {@link Claim}). */
export function windowClaims(window: FaultWindow): Claim[] {
  switch (window.fault) {
    case "kill":
    case "pause":
    case "clock":
      return [{ on: "process", selector: window.target }];
    case "partition":
      return [{ on: "network" }];
    case "latency":
    case "link":
      return [{ on: "link", selector: window.target }];
  }
}

function claimsMeet(a: Claim, b: Claim): boolean {
  if (a.on === "network" && b.on === "network") return true;
  if (a.on === "process" && b.on === "process") return processSelectorsMayOverlap(a.selector, b.selector);
  if (a.on === "link" && b.on === "link") return linkSelectorsMayOverlap(a.selector, b.selector);
  return false;
}

/**
 * Whether two windows are active at a common instant. Windows are closed intervals here: one that heals at t and
 * one that starts at t count as overlapping, so a heal and a start never race on one target.
 */
export function windowsOverlapInTime(a: FaultWindow, b: FaultWindow): boolean {
  return a.start <= windowEnd(b) && b.start <= windowEnd(a);
}

/**
 * Why two windows would fight over one target, or `undefined` when they can coexist: they overlap in time and
 * some claim of one may meet a claim of the other.
 *
 * @example
 * windowConflict(killLeaderAt0For5s, pauseFollowerAt2s); // "both hold a data node (leader, random-follower)"
 */
export function windowConflict(a: FaultWindow, b: FaultWindow): string | undefined {
  if (!windowsOverlapInTime(a, b)) return undefined;
  for (const ca of windowClaims(a)) {
    for (const cb of windowClaims(b)) {
      if (!claimsMeet(ca, cb)) continue;
      if (ca.on === "network") return "two partitions at once";
      const what = ca.on === "process" ? "process" : "link";
      return `both may act on one ${what} (${a.target}, ${b.target})`;
    }
  }
  return undefined;
}
