import { DEFAULT_STORE, STORES } from "../../../stores/index.js";

/** One line per store: kind (and whether it is the default), description, replication modes, workloads. */
export function storeLines(): string[] {
  const width = Math.max(...STORES.map((s) => s.kind.length)) + " (default)".length + 2;
  return STORES.map((s) => {
    const name = s.kind === DEFAULT_STORE ? `${s.kind} (default)` : s.kind;
    return (
      `${name.padEnd(width)}${s.description}; replication: ${s.replication.grammar}; ` +
      `workloads: ${s.workloads.join(", ")}; backends: ${s.backends.join(", ")}`
    );
  });
}
