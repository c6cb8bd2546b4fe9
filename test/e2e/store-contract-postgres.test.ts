import { scanTaggedProcesses } from "../../core/backends/reaper/index.js";
import { postgresPatroni } from "../../stores/postgres-patroni/index.js";
import { storeContract } from "../contract/store-contract.js";

storeContract({
  adapter: postgresPatroni,
  network: "proxy",
  opTimeoutMs: 2000,
  // A killed node's Patroni restarts its PostgreSQL, which must stream again; initdb and basebackup are slow on
  // a loaded 2-core machine.
  recoveryTimeoutMs: 120_000,
  testTimeoutMs: 240_000,
  // Every process of the run (etcd, Patroni, each PostgreSQL server and its children, the watchdog, the proxy)
  // carries the run's tag (PostgreSQL's children overwrite their environ with their title, but die with the
  // postmaster, which keeps it).
  leftovers: (_, runId) =>
    scanTaggedProcesses()
      .filter((p) => p.runId === runId)
      .map((p) => `${p.pid} ${p.command}`),
});
