/**
 * The link-latency ability over a real faultline proxy and real sockets: clients bind distinct loopback source
 * addresses so the proxy tells them apart, and only the selected (source, destination, stream) slows down.
 */
import { performance } from "node:perf_hooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proxyLinkLatency } from "../../nemesis/network/index.js";
import { FaultlineProxyClient } from "../../nemesis/proxy-client/index.js";
import {
  Cleanup,
  connectClient,
  portOf,
  startServer,
  startTestProxy,
  type Collector,
} from "./proxy-test-helpers.js";

let cleanup: Cleanup;
beforeEach(() => {
  cleanup = new Cleanup();
});
afterEach(async () => {
  await cleanup.run();
});

const N2 = "127.0.0.12";
const N3 = "127.0.0.13";

/** Milliseconds for `text` to go through the proxy to the echo server and back. */
async function roundTripMs(client: Collector, text = "ping"): Promise<number> {
  const before = client.total;
  const t0 = performance.now();
  client.socket.write(text);
  await client.waitBytes(before + text.length, 3_000);
  return performance.now() - t0;
}

describe("proxyLinkLatency", () => {
  it("should slow only the selected link and stream, and heal exactly its own toxics", async () => {
    const { toxiproxy, url } = await startTestProxy(cleanup);
    const ext = new FaultlineProxyClient(url, { timeoutMs: 3_000 });
    const echo = await startServer(cleanup, { echo: true });
    const p1 = await toxiproxy.createProxy({
      name: "n1",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${echo.port}`,
    });
    await ext.setSources({ [N2]: "n2", [N3]: "n3" });
    const n2 = await connectClient(cleanup, portOf(p1.listen), { localAddress: N2 });
    const n3 = await connectClient(cleanup, portOf(p1.listen), { localAddress: N3 });
    const other = await ext.addLinkToxic({
      name: "unrelated",
      type: "latency",
      source: "n9",
      destination: "n1",
    });

    const slow = await proxyLinkLatency(ext).delayLinks(
      [{ source: "n2", destination: "n1", stream: "downstream" }],
      {
        latencyMs: 150,
      },
    );
    expect(slow.rules).toEqual([{ source: "n2", destination: "n1", stream: "downstream" }]);
    expect(await roundTripMs(n2)).toBeGreaterThanOrEqual(145);
    expect(await roundTripMs(n3)).toBeLessThan(100);
    const toxics = await ext.listLinkToxics();
    expect(toxics.map((t) => [t.type, t.stream, t.source, t.destination, t.attributes])).toEqual([
      ["latency", "downstream", "n9", "n1", { latency: 0, jitter: 0 }],
      ["latency", "downstream", "n2", "n1", { latency: 150, jitter: 0 }],
    ]);

    await slow.heal();
    await slow.heal(); // idempotent
    expect((await ext.listLinkToxics()).map((t) => t.name)).toEqual([other.name]);
    expect(await roundTripMs(n2)).toBeLessThan(100);
  });

  it("should accept a heal after a heal-everything already removed its toxics, and refuse negative latency", async () => {
    const { url } = await startTestProxy(cleanup);
    const ext = new FaultlineProxyClient(url, { timeoutMs: 3_000 });
    const latency = proxyLinkLatency(ext);
    const slow = await latency.delayLinks(
      [
        { source: "n2", destination: "n1", stream: "downstream" },
        { source: "n2", destination: "n1", stream: "upstream" },
      ],
      { latencyMs: 20, jitterMs: 5 },
    );
    expect(await ext.listLinkToxics()).toHaveLength(2);
    await ext.removeAllLinkToxics();
    await expect(slow.heal()).resolves.toBeUndefined();
    await expect(latency.delayLinks([], { latencyMs: -1 })).rejects.toThrow(/≥ 0/);
  });
});
