import type { StoreAdapter } from "../store.js";
import { SIMULATED_WORKLOADS } from "./data.js";
import { SIMULATED_FLAGS, SimulatedSettingsSchema, type SimulatedSettings } from "./settings.js";
import { startSimulatedStore } from "./started-store.js";

/** The simulated store's replication modes. */
export const SIMULATED_REPLICATION_GRAMMAR = "async | sync";

/**
 * An in-process simulated single-leader store, for testing faultline itself — NOT a real store and never a
 * stand-in for one: data nodes `n1…` with asynchronous replication (a follower pulls entries older than
 * `replicationLagMs`), failover managers `s1…` that promote the most up-to-date reachable follower when a majority
 * of them cannot reach the leader for `failoverTimeoutMs`, and a demoted leader's data replaced by a resync, so a
 * partitioned leader loses the writes it acknowledged. Partitions, kills and pauses act on it through the same
 * cluster abilities as on a real store, so a whole run takes seconds.
 *
 * @example
 * const config = resolveRunConfig({ file: { path: "t.json", data: { store: { kind: "simulated" } } }, freshSeed });
 * await runTest(config, env); // the run loop, nemesis, checkers and report, in-process
 */
export const simulatedStore: StoreAdapter<SimulatedSettings> = {
  kind: "simulated",
  description:
    "in-process simulated single-leader store with async replication and failover managers, for testing " +
    "faultline itself (not a real store)",
  settings: SimulatedSettingsSchema,
  flags: SIMULATED_FLAGS,
  check: () => [],
  shape: (s) => ({ nodes: s.followers + 1, managers: s.failoverManagers }),
  describe: (s) =>
    `${s.followers + 1} simulated data nodes and ${s.failoverManagers} simulated failover managers (in-process, ` +
    `for testing faultline itself)`,
  replication: {
    grammar: SIMULATED_REPLICATION_GRAMMAR,
    // async: acknowledged once the leader applied it; sync: once every follower holds it too (so none is lost).
    canonical: (text) =>
      ["async", "sync"].includes(text.trim())
        ? { text: text.trim() }
        : {
            error: `the simulated store replicates ${SIMULATED_REPLICATION_GRAMMAR}, got ${JSON.stringify(text)}`,
          },
    problem: () => undefined,
    reconcile: (text, settings) => ({ replication: text, settings }),
  },
  workloads: SIMULATED_WORKLOADS,
  // As the single-leader stores it imitates: clients reach data nodes and managers, data nodes reach data nodes
  // (a follower opens its replication link to the leader), managers reach everything but clients.
  connects: (from, to) => to !== "client" && (from !== "node" || to === "node"),
  backends: ["local"],
  cluster: (request) => ({
    store: "simulated",
    start: () => Promise.resolve(startSimulatedStore(request)),
  }),
};
