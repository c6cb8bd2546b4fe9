import { Toxiproxy } from "toxiproxy-node-client";
import { detectFaultlineServer, FaultlineProxyClient } from "../../nemesis/proxy-client/index.js";
import { FaultlineError } from "../errors/index.js";
import type { LinkCut, LinkDelayable, LinkRule, Partitionable } from "../cluster/index.js";
import type { LocalProcess } from "../backends/local/index.js";
import { proxyLinkLatency } from "./link-latency.js";
import type { Address, Network, NetworkPlan } from "./network.js";

/**
 * Wires a plan through a running faultline proxy (DESIGN.md "Topology"): one listener per node (its public
 * address), one listener per (client, node) pair with the client as its fixed source, and the sources map that
 * names each node's `127.0.X.Y`. Proxies are created through `toxiproxy-node-client` (the Toxiproxy API);
 * sources, link identities and link toxics through faultline's extension client.
 *
 * @example
 * const network = await wireProxyNetwork(plan, { url: "http://127.0.0.1:40123" });
 * network.publicAddress("n1"); // { host: "127.0.0.1", port: 41877 }
 */
export async function wireProxyNetwork(
  plan: NetworkPlan,
  proxy: { url: string; process?: LocalProcess },
): Promise<Network> {
  const kind = await detectFaultlineServer(proxy.url);
  if (kind.server !== "faultline") {
    throw new FaultlineError(
      "PROXY_NOT_FAULTLINE",
      `the proxy at ${proxy.url} is a plain Toxiproxy ${kind.version}`,
      {
        hint: "per-link faults need faultline's source-aware proxy",
      },
    );
  }
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
  // The nodes' public listeners and the sources map first: replication and Sentinels need them now.
  const host = plan.listeners?.host ?? "127.0.0.1";
  await create(
    plan.nodes.map((n) => ({
      name: n.name,
      listen: `${host}:${n.publicPort ?? 0}`,
      upstream: upstream(n),
    })),
  );
  await ext.setSources(Object.fromEntries(plan.nodes.map((n) => [n.sourceAddress, n.name])));
  // The clients' listeners are needed only once the cluster is ready: they are wired meanwhile (see `ready`).
  const clientsWired = (async () => {
    await create(
      plan.clients.flatMap((c) =>
        plan.nodes.map((n) => ({
          name: clientProxyName(c, n.name),
          listen: `${host}:${plan.listeners?.clientPort(c, n.name) ?? 0}`,
          upstream: upstream(n),
        })),
      ),
    );
    await Promise.all(
      plan.clients.flatMap((c) =>
        plan.nodes.map((n) => ext.setLink(clientProxyName(c, n.name), { source: c, destination: n.name })),
      ),
    );
  })();
  clientsWired.catch(() => undefined); // awaited through ready()

  let cuts = 0;
  const links: Partitionable & LinkDelayable = {
    ...proxyLinkLatency(ext),
    async cutLinks(rules: readonly LinkRule[]): Promise<LinkCut> {
      const id = ++cuts;
      const names = rules.map((r) => `cut${id}_${r.stream}_${r.source}_${r.destination}`);
      // One batch, so every link of a partition is cut (and healed) at the same instant.
      await ext.batchLinkToxics({
        add: rules.map((r, i) => ({
          name: names[i]!,
          type: "blackhole",
          stream: r.stream,
          source: r.source,
          destination: r.destination,
        })),
      });
      let healed: Promise<void> | undefined;
      return {
        rules,
        heal() {
          healed ??= (async () => {
            // A heal-everything may already have removed some of them; remove the rest at once.
            const present = new Set((await ext.listLinkToxics()).map((t) => t.name));
            const remove = names.filter((n) => present.has(n));
            if (remove.length > 0) await ext.batchLinkToxics({ remove }).catch(ignoreNotFound);
          })();
          return healed;
        },
      };
    },
    heal: () => ext.removeAllLinkToxics(),
  };
  let stopped: Promise<void> | undefined;
  const get = (name: string): Address => {
    const a = listen.get(name);
    if (!a) throw new Error(`no proxy listener named ${name}`);
    return a;
  };
  return {
    kind: "proxy",
    publicAddress: (node) => get(node),
    clientAddress(client, node) {
      const a = get(clientProxyName(client, node));
      return plan.listeners ? plan.listeners.reachable(a.port) : a;
    },
    links,
    apiUrl: proxy.url,
    ready: () => clientsWired,
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

/** A toxic already gone (healed by a global reset) is healed. */
function ignoreNotFound(err: unknown): void {
  const e = err as { details?: { status?: number }; message?: string };
  if (e.details?.status === 404 || /\b404\b/.test(String(e.message))) return;
  throw err;
}

function parseListen(listen: string): Address {
  const i = listen.lastIndexOf(":");
  const host = listen.slice(0, i).replace(/^\[|\]$/g, "");
  return {
    host: host === "::" || host === "0.0.0.0" || host === "" ? "127.0.0.1" : host,
    port: Number(listen.slice(i + 1)),
  };
}
