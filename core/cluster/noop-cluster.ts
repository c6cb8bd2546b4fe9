import type { ClusterSpec, StartedCluster, StoppedCluster } from "./cluster.js";

/**
 * A cluster with no nodes and no abilities: start and stop succeed at once. For testing the run loop and
 * nemeses without processes (Jepsen's `noop` DB).
 *
 * @example
 * await using cluster = await noopCluster().start();
 */
export function noopCluster(): ClusterSpec {
  return {
    store: "noop",
    start(): Promise<StartedCluster> {
      const stopped: StoppedCluster = { logs: new Map() };
      const started: StartedCluster = {
        nodes: [],
        clients: [],
        stop: () => Promise.resolve(stopped),
        [Symbol.asyncDispose]: async () => {
          await started.stop();
        },
      };
      return Promise.resolve(started);
    },
  };
}
