import { storeContract } from "../contract/store-contract.js";
import { simulatedStore, type StartedSimulatedStore } from "../../stores/simulated/index.js";

storeContract({
  adapter: simulatedStore,
  network: "proxy",
  opTimeoutMs: 200,
  recoveryTimeoutMs: 5000,
  testTimeoutMs: 20_000,
  // In-process: what could be left is its clockwork's timer.
  leftovers: (cluster) =>
    (cluster as StartedSimulatedStore).world.ticking ? ["the simulation's timer"] : [],
});
