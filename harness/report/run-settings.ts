/** One configuration setting as the report's header lists it. */
export interface RunSetting {
  name: string;
  value: string;
}

const ms = (v: unknown): string => (typeof v === "number" ? `${v / 1000} s` : String(v));

/** Which `config.json` fields the header shows, in order, and how. */
const SHOWN: readonly [string, string, (v: unknown) => string][] = [
  ["workload", "workload", String],
  ["nemesis", "nemesis", (v) => (typeof v === "string" ? v : JSON.stringify(v))],
  ["replication", "replication", String],
  ["timeLimit", "time limit", ms],
  ["concurrency", "concurrency", String],
  ["rate", "rate (ops/s)", (v) => (v === 0 ? "unlimited" : String(v))],
  ["opTimeout", "op timeout", ms],
  ["nemesisInterval", "nemesis interval", ms],
  ["store.followers", "followers", String],
  ["store.failoverManagers", "failover managers", String],
  ["store.quorum", "quorum", String],
  ["store.minReplicasToWrite", "min-replicas-to-write", String],
  ["store.minReplicasMaxLag", "min-replicas-max-lag", (v) => `${String(v)} s`],
  ["store.persistence", "persistence", String],
  ["store.downAfter", "down-after", ms],
  ["store.failoverTimeout", "failover-timeout", ms],
  ["network", "network", String],
  ["run.startedAt", "started at", String],
  ["run.faultline", "faultline", String],
];

/**
 * The settings a report's header shows, from a run's `config.json` record (absent fields are left out).
 *
 * @example
 * runSettings({ workload: "set", timeLimit: 20000 }); // [{ name: "workload", value: "set" }, { name: "time limit", value: "20 s" }]
 */
export function runSettings(config: Record<string, unknown> | undefined): RunSetting[] {
  if (!config) return [];
  const out: RunSetting[] = [];
  for (const [path, name, show] of SHOWN) {
    const v = path
      .split(".")
      .reduce<unknown>(
        (o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
        config,
      );
    if (v !== undefined && v !== null) out.push({ name, value: show(v) });
  }
  return out;
}
