import { Toxiproxy } from "toxiproxy-node-client";
import { detectFaultlineServer, FaultlineProxyClient } from "../proxy-client/index.js";
import type { LinkDelayable, LinkToxicable, Partitionable } from "../../core/cluster/index.js";
import type { LocalProcess } from "../../core/backends/local/index.js";
import { destinationLinkToxics } from "./destination-link-toxics.js";
import { proxyLinkLatency } from "./link-latency.js";
import { proxyLinkToxics } from "./link-toxics.js";
import type { Address, Network, NetworkPlan } from "./network.js";

/**
 * Wires a plan through a running proxy server (DESIGN.md "Topology"): one listener per node (its public
 * address), one listener per (client, node) pair. Proxies are created through `toxiproxy-node-client` (the
 * Toxiproxy API). On faultline's proxy the sources map names each node's `127.0.X.Y` and each client listener
 * has its client as fixed source (extension routes), so any link can be faulted on its own
 * ({@link proxyLinkToxics}); on a plain Toxiproxy only per-destination faults are possible
 * ({@link destinationLinkToxics}, spec §2.6 Design A). A `shared` server (`--toxiproxy-url`) is not the run's:
 * `stop` deletes the proxies this network created and leaves the server running.
 *
 * @example
 * const network = await wireProxyNetwork(plan, { url: "http://127.0.0.1:40123" });
 * network.publicAddress("n1"); // { host: "127.0.0.1", port: 41877 }
 */
export async function wireProxyNetwork(
  plan: NetworkPlan,
  proxy: { url: string; process?: LocalProcess; shared?: boolean },
): Promise<Network> {
  const kind = await detectFaultlineServer(proxy.url);
  const faultline = kind.server === "faultline";
  const toxiproxy = new Toxiproxy(proxy.url);
  const ext = new FaultlineProxyClient(proxy.url);
  const upstream = (n: NetworkPlan["nodes"][number]): string => `${n.real.host}:${n.real.port}`;
  const listen = new Map<string, Address>();
  const create = async (bodies: { name: string; listen: string; upstream: string }[]): Promise<void> => {
    const created = await toxiproxy.populate(bodies);
    for (const b of bodies) {
      const p = created[b.name];
      if (!p) throw new Error(`the proxy did not create ${b.name}`);
      listen.set(b.name, parseListen(p.listen));
    }
  };
  // The nodes' public listeners and the sources map first: replication and failover managers need them now.
  const host = plan.listeners?.host ?? "127.0.0.1";
  await create(
    plan.nodes.map((n) => ({
      name: n.name,
      listen: `${host}:${n.publicPort ?? 0}`,
      upstream: upstream(n),
    })),
  );
  if (faultline) {
    await ext.setSources(
      Object.fromEntries(
        plan.nodes.filter((n) => n.sourceAddress !== "").map((n) => [n.sourceAddress, n.name]),
      ),
    );
    await Promise.all(
      plan.nodes
        .filter((n) => n.destination !== undefined && n.destination !== n.name)
        .map((n) => ext.setLink(n.name, { destination: n.destination! })),
    );
  }
  const clientNodes = plan.nodes.filter((n) => n.clients !== false);
  // The clients' listeners are needed only once the cluster is ready: they are wired meanwhile (see `ready`).
  const clientsWired = (async () => {
    await create(
      plan.clients.flatMap((c) =>
        clientNodes.map((n) => ({
          name: clientProxyName(c, n.name),
          listen: `${host}:${plan.listeners?.clientPort(c, n.name) ?? 0}`,
          upstream: upstream(n),
        })),
      ),
    );
    if (!faultline) return;
    await Promise.all(
      plan.clients.flatMap((c) =>
        clientNodes.map((n) =>
          ext.setLink(clientProxyName(c, n.name), { source: c, destination: n.destination ?? n.name }),
        ),
      ),
    );
  })();
  clientsWired.catch(() => undefined); // awaited through ready()

  const names = (): string[] => [...listen.keys()];
  const general = faultline
    ? proxyLinkToxics(ext, toxiproxy, names)
    : destinationLinkToxics(
        toxiproxy,
        { servers: plan.nodes.map((n) => n.name), clients: plan.clients, clientProxy: clientProxyName },
        names,
      );
  const links: Partitionable & LinkDelayable & LinkToxicable = {
    ...general,
    delayLinks: faultline
      ? proxyLinkLatency(ext).delayLinks
      : (rules, latency) =>
          general.addLinkToxics(rules, {
            type: "latency",
            attributes: { latency: latency.latencyMs, jitter: latency.jitterMs ?? 0 },
          }),
  };
  let stopped: Promise<void> | undefined;
  const get = (name: string): Address => {
    const a = listen.get(name);
    if (!a) throw new Error(`no proxy listener named ${name}`);
    return a;
  };
  return {
    kind: "proxy",
    proxyServer: kind.server,
    publicAddress: (node) => get(node),
    clientAddress(client, node) {
      const a = get(clientProxyName(client, node));
      return plan.listeners ? plan.listeners.reachable(a.port) : a;
    },
    links,
    apiUrl: proxy.url,
    ready: () => clientsWired,
    ...(faultline
      ? {
          async resolveSourcesByOwner(options: { runId: string; envKey: string; timeoutMs?: number }) {
            await ext.setSourceResolver({
              mode: "owner",
              runId: options.runId,
              envKey: options.envKey,
              ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
            });
          },
        }
      : {}),
    stop() {
      stopped ??= (async () => {
        if (proxy.process) await proxy.process.kill();
        // Someone else's server: remove what this run made on it, nothing more.
        if (proxy.shared) {
          await Promise.all(
            names().map((n) =>
              toxiproxy
                .getApi()
                .delete(`${toxiproxy.host}/proxies/${encodeURIComponent(n)}`)
                .catch(() => undefined),
            ),
          );
        }
      })();
      return stopped;
    },
  };
}

/** The proxy name of a client's listener for a node: `c1-n1`. */
export function clientProxyName(client: string, node: string): string {
  return `${client}-${node}`;
}

function parseListen(listen: string): Address {
  const i = listen.lastIndexOf(":");
  const host = listen.slice(0, i).replace(/^\[|\]$/g, "");
  return {
    host: host === "::" || host === "0.0.0.0" || host === "" ? "127.0.0.1" : host,
    port: Number(listen.slice(i + 1)),
  };
}
