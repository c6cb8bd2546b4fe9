import type { FaultWindow } from "../schedule/index.js";

/**
 * The fault name a window's ops carry in the history (`start-<name>`, `stop-<name>`), in DESIGN.md's vocabulary:
 * a partition's kind (`partition-leader`, `isolate-node`, `partition-bridge`, `partition-one-way`…), or the fault
 * and its target (`kill-leader`, `pause-random-manager`, `clock-n2`, `latency-replication`,
 * `bandwidth-client-leader`), and for a kill or pause of one part of a node that part (`kill-leader-agent`). Two windows with one name never overlap in time (they would hold one target), so a
 * report can pair each stop with the oldest open start of its name.
 *
 * @example
 * windowOpName({ fault: "kill", target: "leader", … }); // "kill-leader"
 */
export function windowOpName(window: FaultWindow): string {
  switch (window.fault) {
    case "partition":
      return window.params.kind === "one-way" ? "partition-one-way" : window.params.kind;
    case "link":
      return `${window.params.toxic}-${window.target}`;
    case "kill":
    case "pause":
      return window.params.part === undefined
        ? `${window.fault}-${window.target}`
        : `${window.fault}-${window.target}-${window.params.part}`;
    default:
      return `${window.fault}-${window.target}`;
  }
}
