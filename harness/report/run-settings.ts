import { STORES } from "../../stores/index.js";

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
  ["store.kind", "store", String],
  ["store.followers", "followers", String],
  ["store.failoverManagers", "failover managers", String],
  ["network", "network", String],
  ["run.startedAt", "started at", String],
  ["run.faultline", "faultline", String],
];

/**
 * The settings a report shows, from a run's `config.json` record (absent fields are left out): the run's own,
 * then every other field of the store's settings under its own name (`downAfter` → `down after`), so a store's
 * words stay in its settings and any store's run shows them all.
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
  const store = config.store;
  if (store !== null && typeof store === "object" && !Array.isArray(store)) {
    const shown = new Set(SHOWN.map(([path]) => path));
    const flags = STORES.find((a) => a.kind === (store as { kind?: unknown }).kind)?.flags ?? [];
    for (const [k, v] of Object.entries(store)) {
      if (shown.has(`store.${k}`) || v === undefined || v === null) continue;
      // The store's own flag names the setting (`--down-after`) and says whether it is a duration (ms).
      const flag = flags.find((f) => f.field === `store.${k}`);
      const name = flag ? flag.flags.replace(/^--([a-z0-9-]+).*$/, "$1") : words(k);
      const value = flag?.kind === "duration" ? ms(v) : typeof v === "object" ? JSON.stringify(v) : String(v);
      out.push({ name, value });
    }
  }
  return out;
}

/** `minReplicasToWrite` → `min replicas to write`. */
function words(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}
