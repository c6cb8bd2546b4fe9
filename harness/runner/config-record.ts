import type { ResolvedRunConfig } from "../config/index.js";
import type { WorkloadChecker } from "../../workloads/index.js";
import type { StartedRedisCluster } from "../redis/index.js";

/**
 * What `config.json` holds: the resolved configuration at the top level (so `faultline run --config
 * <run-dir>` replays it: same seed, same settings), the checkers `faultline check` re-runs offline, and under
 * `run` what happened at run time (id, version, start time, the cluster's layout) — ignored on replay.
 */
export function configRecord(
  config: ResolvedRunConfig,
  checkers: readonly WorkloadChecker[],
  run: Record<string, unknown>,
): Record<string, unknown> {
  return { ...config, checkers, run };
}

/** The cluster's layout for `config.json`: every node's real and public port, each client's listeners, the proxy. */
export function clusterLayout(c: StartedRedisCluster): Record<string, unknown> {
  return {
    masterName: c.masterName,
    backend: c.backend,
    proxy: c.network.apiUrl ?? null,
    nodes: c.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      port: n.admin.port,
      publicPort: n.public.port,
      source: n.sourceAddress,
    })),
    clients: Object.fromEntries(
      c.clients.map((cl) => [
        cl.name,
        Object.fromEntries([...cl.endpoints].map(([node, a]) => [node, a.port])),
      ]),
    ),
  };
}
