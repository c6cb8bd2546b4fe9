import { scanTaggedProcesses } from "../../core/backends/reaper/index.js";
import { redisSentinel } from "../../stores/redis-sentinel/index.js";
import { storeContract } from "../contract/store-contract.js";

storeContract({
  adapter: redisSentinel,
  network: "proxy",
  opTimeoutMs: 1000,
  recoveryTimeoutMs: 30_000,
  testTimeoutMs: 90_000,
  // Every process of the run (redis-server, Sentinels, the proxy) carries the run's tag.
  leftovers: (_, runId) =>
    scanTaggedProcesses()
      .filter((p) => p.runId === runId)
      .map((p) => `${p.pid} ${p.command}`),
});
