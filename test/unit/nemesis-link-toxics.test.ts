/**
 * The link-toxic abilities of the proxy network, over a real faultline proxy (source-aware, and forced into
 * plain-Toxiproxy mode) and real sockets to echo servers standing in for the nodes.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planDestinationRules, wireProxyNetwork, type Network } from "../../nemesis/network/index.js";
import type { LinkRule } from "../../core/cluster/index.js";
import { Cleanup, connectClient, sleep, startServer, startTestProxy } from "./proxy-test-helpers.js";

let cleanup: Cleanup;
beforeEach(() => {
  cleanup = new Cleanup();
});
afterEach(async () => {
  await cleanup.run();
});

const topology = {
  servers: ["n1", "n2", "n3", "s1"],
  clients: ["c1", "c2"],
  clientProxy: (c: string, n: string) => `${c}-${n}`,
};
const rule = (source: string, destination: string, stream: LinkRule["stream"] = "upstream"): LinkRule => ({
  source,
  destination,
  stream,
});

/** A network of echo servers n1, n2, n3 behind a proxy server, with clients c1, c2. */
async function echoNetwork(plain: boolean, shared = false): Promise<{ network: Network; url: string }> {
  const { url } = await startTestProxy(cleanup, { plainToxiproxy: plain });
  const n1 = await startServer(cleanup, { echo: true });
  const n2 = await startServer(cleanup, { echo: true });
  const n3 = await startServer(cleanup, { echo: true });
  const network = await wireProxyNetwork(
    {
      nodes: [
        { name: "n1", real: { host: "127.0.0.1", port: n1.port }, sourceAddress: "127.0.1.1" },
        { name: "n2", real: { host: "127.0.0.1", port: n2.port }, sourceAddress: "127.0.1.2" },
        { name: "n3", real: { host: "127.0.0.1", port: n3.port }, sourceAddress: "127.0.1.3" },
      ],
      clients: ["c1", "c2"],
    },
    { url, shared },
  );
  await network.ready();
  cleanup.add(() => network.stop());
  return { network, url };
}

/** Whether a fresh connection of `client` to `node` echoes a byte within `ms`. */
async function echoes(network: Network, client: string, node: string, ms = 400): Promise<boolean> {
  // A refused link may reset the connection before it is even established.
  const c = await connectClient(cleanup, network.clientAddress(client, node).port).catch(() => undefined);
  if (!c) return false;
  c.socket.write("x");
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && c.total === 0 && !c.closed) await sleep(20);
  c.socket.destroy();
  return c.total > 0;
}

describe("planDestinationRules", () => {
  it("should map client links to their own proxies and complete server groups to the destination's proxy", () => {
    const rules = [
      rule("c1", "n1"),
      rule("c1", "n1", "downstream"),
      ...["n2", "n3", "s1"].map((s) => rule(s, "n1", "downstream")),
    ];
    expect(planDestinationRules(rules, topology)).toEqual({
      ok: true,
      targets: [
        { proxy: "c1-n1", stream: "upstream" },
        { proxy: "c1-n1", stream: "downstream" },
        { proxy: "n1", stream: "downstream" },
      ],
    });
  });

  it("should refuse a server link that is not accompanied by every other server's", () => {
    const rules = [rule("n2", "n1"), rule("n3", "n1"), rule("c2", "n2")];
    expect(planDestinationRules(rules, topology)).toEqual({
      ok: false,
      unexpressible: [rule("n2", "n1"), rule("n3", "n1")],
    });
  });
});

describe("wireProxyNetwork links", () => {
  it("should put any toxic on one link of faultline's proxy, list it, and heal exactly it", async () => {
    const { network } = await echoNetwork(false);
    const links = network.links!;
    expect(links.granularity).toBe("link");
    const cut = await links.cutLinks([rule("c1", "n1"), rule("c1", "n1", "downstream")], { cut: "refuse" });
    const slow = await links.addLinkToxics([rule("n2", "n1")], {
      type: "bandwidth",
      attributes: { rate: 8 },
    });
    const faults = await links.linkFaults();
    expect(faults).toHaveLength(3);
    expect(faults.join("\n")).toMatch(/refuse upstream on c1->n1/);
    expect(faults.join("\n")).toMatch(/bandwidth upstream on n2->n1/);
    expect(await echoes(network, "c1", "n1")).toBe(false);
    expect(await echoes(network, "c2", "n1")).toBe(true);
    await cut.heal();
    expect(await links.linkFaults()).toEqual([expect.stringMatching(/bandwidth/)]);
    expect(await echoes(network, "c1", "n1")).toBe(true);
    await slow.heal();
    expect(await links.linkFaults()).toEqual([]);
  });

  it("should fault per destination on a plain Toxiproxy, refuse per-link rules, and heal only its proxies", async () => {
    const { network, url } = await echoNetwork(true, true);
    const links = network.links!;
    expect(links.granularity).toBe("destination");
    // Cutting c1 off n1 both ways: c1's own proxy for n1.
    const cut = await links.cutLinks([rule("c1", "n1"), rule("c1", "n1", "downstream")]);
    expect(await links.linkFaults()).toEqual([
      expect.stringMatching(/timeout upstream\) on proxy c1-n1/),
      expect.stringMatching(/timeout downstream\) on proxy c1-n1/),
    ]);
    expect(await echoes(network, "c1", "n1")).toBe(false);
    expect(await echoes(network, "c2", "n1")).toBe(true);
    await expect(links.addLinkToxics([rule("n2", "n1")], { type: "latency" })).rejects.toMatchObject({
      code: "LINK_NOT_EXPRESSIBLE",
    });
    // Every other server to n2: n2's proxy.
    const refused = await links.cutLinks([rule("n1", "n2"), rule("n3", "n2")], { cut: "refuse" });
    expect(await links.linkFaults()).toContain("proxy n2 is disabled");
    await refused.heal();
    await cut.heal();
    expect(await links.linkFaults()).toEqual([]);
    expect(await echoes(network, "c1", "n1")).toBe(true);
    // Heal-everything clears toxics added by anyone on this network's proxies.
    await links.addLinkToxics([rule("c2", "n2")], { type: "latency", attributes: { latency: 10 } });
    await links.heal();
    expect(await links.linkFaults()).toEqual([]);
    // A shared server keeps running, without this network's proxies.
    await network.stop();
    const left = (await (await fetch(`${url}/proxies`)).json()) as Record<string, unknown>;
    expect(Object.keys(left)).toEqual([]);
  });
});
