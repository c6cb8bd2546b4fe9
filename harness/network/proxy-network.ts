import { Toxiproxy } from "toxiproxy-node-client";
import { FaultlineError } from "../errors/index.js";
import type { Link, Partitionable } from "../cluster/index.js";
import type { LocalProcess } from "../backends/local/index.js";
import { crossingLinks, type Address, type Network, type NetworkPlan } from "./network.js";
import { ProxyExtensions } from "./proxy-extensions.js";

/**
 * Wires a plan through a running faultline proxy (DESIGN.md "Topology"): one listener per node (its public
 * address), one listener per (client, node) pair, and the sources map that names each node's `127.0.0.X`.
 * Proxies are created through `toxiproxy-node-client` (the Toxiproxy API); sources, link identities and link
 * toxics through the extensions.
 */
export async function wireProxyNetwork(
  plan: NetworkPlan,
  proxy: { url: string; process?: LocalProcess },
): Promise<Network> {
  const toxiproxy = new Toxiproxy(proxy.url);
  const ext = new ProxyExtensions(proxy.url);
  const version = await toxiproxy.getVersion();
  if (!isFaultlineProxy(version)) {
    throw new FaultlineError(
      "PROXY_NOT_FAULTLINE",
      `the proxy at ${proxy.url} is not faultline's (GET /version: ${version.trim()})`,
      {
        hint: "per-link partitions need faultline's source-aware proxy",
      },
    );
  }
  const real = new Map(plan.nodes.map((n) => [n.name, n.real]));
  const bodies = [
    ...plan.nodes.map((n) => ({
      name: n.name,
      listen: "127.0.0.1:0",
      upstream: `${n.real.host}:${n.real.port}`,
    })),
    ...plan.clients.flatMap((c) =>
      plan.nodes.map((n) => ({
        name: clientProxyName(c, n.name),
        listen: "127.0.0.1:0",
        upstream: `${n.real.host}:${n.real.port}`,
      })),
    ),
  ];
  const created = await toxiproxy.populate(bodies);
  const listen = new Map<string, Address>();
  for (const b of bodies) {
    const p = created[b.name];
    if (!p) throw new Error(`the proxy did not create ${b.name}`);
    listen.set(b.name, parseListen(p.listen));
  }
  await ext.setSources(Object.fromEntries(plan.nodes.map((n) => [n.sourceAddress, n.name])));
  await Promise.all(
    plan.clients.flatMap((c) =>
      plan.nodes.map((n) => ext.setLink(clientProxyName(c, n.name), { source: c, destination: n.name })),
    ),
  );

  const servers = new Set(plan.nodes.map((n) => n.name));
  const links: Partitionable = {
    async partition(groups) {
      const cut: Link[] = crossingLinks(groups, servers);
      await Promise.all(
        cut.flatMap((l) =>
          (["upstream", "downstream"] as const).map((stream) =>
            ext.addLinkToxic({
              name: `cut_${stream}_${l.source}_${l.destination}`,
              type: "blackhole",
              stream,
              source: l.source,
              destination: l.destination,
            }),
          ),
        ),
      );
      return cut;
    },
    heal: () => ext.removeAllLinkToxics(),
  };
  let stopped: Promise<void> | undefined;
  const get = (name: string): Address => {
    const a = listen.get(name);
    if (!a) throw new Error(`no proxy listener named ${name} (nodes: ${[...real.keys()].join(", ")})`);
    return a;
  };
  return {
    kind: "proxy",
    publicAddress: (node) => get(node),
    clientAddress: (client, node) => get(clientProxyName(client, node)),
    links,
    apiUrl: proxy.url,
    stop() {
      stopped ??= (async () => {
        if (proxy.process) await proxy.process.kill();
      })();
      return stopped;
    },
  };
}

/** The proxy name of a client's listener for a node: `c1-n1`. */
export function clientProxyName(client: string, node: string): string {
  return `${client}-${node}`;
}

function isFaultlineProxy(versionText: string): boolean {
  try {
    return (JSON.parse(versionText) as { server?: string }).server === "faultline";
  } catch {
    return false;
  }
}

function parseListen(listen: string): Address {
  const i = listen.lastIndexOf(":");
  const host = listen.slice(0, i).replace(/^\[|\]$/g, "");
  return {
    host: host === "::" || host === "0.0.0.0" || host === "" ? "127.0.0.1" : host,
    port: Number(listen.slice(i + 1)),
  };
}
