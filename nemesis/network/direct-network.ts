import type { Address, Network, NetworkPlan } from "./network.js";

/**
 * No proxy: everyone uses the real listeners. Nothing can be cut, so partitions are unavailable; useful to
 * measure the proxy's cost and to run kill/pause faults with the fewest moving parts.
 */
export function directNetwork(plan: NetworkPlan): Network {
  const real = new Map<string, Address>(plan.nodes.map((n) => [n.name, n.reachable ?? n.real]));
  const addressOf = (node: string): Address => {
    const a = real.get(node);
    if (!a) throw new Error(`unknown node ${node}`);
    return a;
  };
  return {
    kind: "direct",
    proxyServer: undefined,
    publicAddress: addressOf,
    clientAddress: (_client, node) => addressOf(node),
    links: undefined,
    apiUrl: undefined,
    ready: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}
