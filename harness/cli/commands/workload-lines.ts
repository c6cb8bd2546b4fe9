import { WORKLOADS } from "../../../workloads/index.js";

/**
 * The lines `faultline workloads` prints: each registered workload's name, padded to one column, and its
 * one-line description.
 *
 * @example
 * workloadLines()[0]; // "set             add unique integers to one set, …"
 */
export function workloadLines(): string[] {
  const workloads = Object.values(WORKLOADS).map((make) => make());
  const width = Math.max(...workloads.map((w) => w.name.length)) + 2;
  return workloads.map((w) => `${w.name.padEnd(width)}${w.description}`);
}
