/**
 * faultline's per-link extension (EXTENSIONS.md) over real sockets: clients bind distinct loopback source
 * addresses (127.0.0.12, 127.0.0.13 …) so the proxy can tell them apart, and one (source, destination) link is
 * cut, delayed or reset while every other link keeps flowing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FaultlineProxyClient } from "../../nemesis/proxy-client/index.js";
import type { ProxyEvent } from "../../nemesis/proxy/index.js";
import {
  Cleanup,
  connectClient,
  http,
  portOf,
  sleep,
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

const R2 = "127.0.0.12";
const R3 = "127.0.0.13";

/** Two nodes r1 and r4 (echo servers) behind proxies named after them; r2 and r3 are client addresses. */
async function topology() {
  const { toxiproxy, url, server } = await startTestProxy(cleanup);
  const fl = new FaultlineProxyClient(url, { timeoutMs: 3_000 });
  const r1 = await startServer(cleanup, { echo: true });
  const r4 = await startServer(cleanup, { echo: true });
  const p1 = await toxiproxy.createProxy({
    name: "r1",
    listen: "127.0.0.1:0",
    upstream: `127.0.0.1:${r1.port}`,
  });
  const p4 = await toxiproxy.createProxy({
    name: "r4",
    listen: "127.0.0.1:0",
    upstream: `127.0.0.1:${r4.port}`,
  });
  await fl.setSources({ [R2]: "r2", [R3]: "r3" });
  return { toxiproxy, url, server, fl, r1, r4, port1: portOf(p1.listen), port4: portOf(p4.listen) };
}

async function roundTrip(client: Collector, text: string, ms = 1_000): Promise<void> {
  const before = client.total;
  client.socket.write(text);
  await client.waitBytes(before + text.length, ms);
}

describe("link toxics", () => {
  it("should cut one (source, destination) link with a blackhole and leave every other link flowing", async () => {
    const t = await topology();
    const a = await connectClient(cleanup, t.port1, { localAddress: R2 }); // r2 → r1: cut
    const b = await connectClient(cleanup, t.port1, { localAddress: R3 }); // r3 → r1
    const c = await connectClient(cleanup, t.port4, { localAddress: R2 }); // r2 → r4
    const aServer = await t.r1.nextAccepted();
    await t.fl.addLinkToxic({ type: "blackhole", stream: "upstream", source: "r2", destination: "r1" });
    a.socket.write("held-1|");
    a.socket.write("held-2|");
    await roundTrip(b, "r3 to r1 flows");
    await roundTrip(c, "r2 to r4 flows");
    await sleep(150);
    expect(aServer.total).toBe(0);
    expect(a.total).toBe(0);
    // Only the upstream direction is cut: the server can still reach the client.
    aServer.socket.write("downstream open|");
    await a.waitBytes(16, 1_000);
    await t.fl.removeLinkToxic("blackhole_upstream_r2_r1");
    await aServer.waitBytes(14, 1_000);
    expect(aServer.data.toString()).toBe("held-1|held-2|");
    await a.waitBytes(16 + 14, 1_000);
    expect(a.data.toString()).toBe("downstream open|held-1|held-2|");
  });

  it("should hold a blackholed stream through backpressure and release every byte in order", async () => {
    const t = await topology();
    const a = await connectClient(cleanup, t.port1, { localAddress: R2 });
    const aServer = await t.r1.nextAccepted();
    await t.fl.addLinkToxic({
      name: "cut",
      type: "blackhole",
      stream: "upstream",
      source: "r2",
      destination: "*",
    });
    const total = 32 << 20;
    const payload = Buffer.alloc(total);
    for (let i = 0; i < total; i += 4) payload.writeUInt32BE(i / 4, i);
    a.socket.write(payload);
    await sleep(300);
    expect(aServer.total).toBe(0);
    expect(a.socket.writableLength).toBeGreaterThan(0); // the sender feels the backpressure
    await t.fl.removeLinkToxic("cut");
    await aServer.waitBytes(total, 20_000);
    expect(aServer.data.equals(payload)).toBe(true);
  });

  it("should hold new matching connections too, and not others", async () => {
    const t = await topology();
    await t.fl.addLinkToxic({ type: "blackhole", stream: "downstream", source: "r2", destination: "r1" });
    const a = await connectClient(cleanup, t.port1, { localAddress: R2 });
    const b = await connectClient(cleanup, t.port1, { localAddress: R3 });
    a.socket.write("ping");
    await roundTrip(b, "pong");
    await sleep(100);
    expect(a.total).toBe(0);
    await t.fl.removeAllLinkToxics();
    await a.waitBytes(4, 1_000);
  });

  it("should reset matching connections when a refuse cut is added, and reset new ones on accept", async () => {
    const t = await topology();
    const a = await connectClient(cleanup, t.port1, { localAddress: R2 });
    const b = await connectClient(cleanup, t.port1, { localAddress: R3 });
    await roundTrip(a, "before");
    await t.fl.addLinkToxic({ name: "refuse", type: "refuse", source: "r2", destination: "r1" });
    await a.waitClosed(1_000);
    expect(a.error?.code).toBe("ECONNRESET");
    await roundTrip(b, "r3 unaffected");
    // A new r2 → r1 connection is reset as soon as it is accepted: the RST can even beat Node's connect event.
    const again = await connectClient(cleanup, t.port1, { localAddress: R2 }).then(
      async (c) => {
        c.socket.write("x");
        await c.waitClosed(1_000);
        return c.error;
      },
      (err: NodeJS.ErrnoException) => err,
    );
    expect(again?.code).toBe("ECONNRESET");
    const other = await connectClient(cleanup, t.port4, { localAddress: R2 });
    await roundTrip(other, "r2 to r4 unaffected");
    await t.fl.removeLinkToxic("refuse");
    await roundTrip(await connectClient(cleanup, t.port1, { localAddress: R2 }), "healed");
  });

  it("should apply toxics to a per-client listener through its fixed source", async () => {
    const t = await topology();
    const r1 = await startServer(cleanup, { echo: true });
    const pc = await t.toxiproxy.createProxy({
      name: "c1-r1",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${r1.port}`,
    });
    expect(await t.fl.setLink("c1-r1", { source: "c1", destination: "r1" })).toEqual({
      proxy: "c1-r1",
      destination: "r1",
      source: "c1",
    });
    expect(await t.fl.getLink("r1")).toEqual({ proxy: "r1", destination: "r1", source: null });
    const viaC1 = await connectClient(cleanup, portOf(pc.listen));
    const viaR3 = await connectClient(cleanup, t.port1, { localAddress: R3 });
    await t.fl.addLinkToxic({
      type: "latency",
      source: "c1",
      destination: "r1",
      attributes: { latency: 150 },
    });
    const timed = async (c: Collector): Promise<number> => {
      const t0 = performance.now();
      await roundTrip(c, "x");
      return performance.now() - t0;
    };
    const fast = [await timed(viaR3), await timed(viaR3), await timed(viaR3)];
    const slow = [await timed(viaC1), await timed(viaC1), await timed(viaC1)];
    expect(Math.min(...fast)).toBeLessThan(100);
    expect(Math.min(...slow)).toBeGreaterThanOrEqual(145);
    const conns = await t.fl.listConnections();
    expect(conns.map((c) => [c.proxy, c.source, c.destination]).sort()).toEqual([
      ["c1-r1", "c1", "r1"],
      ["r1", "r3", "r1"],
    ]);
    expect(conns.find((c) => c.proxy === "r1")!.remote).toMatch(/^127\.0\.0\.13:\d+$/);
  });

  it("should re-classify live connections when the sources map changes", async () => {
    const t = await topology();
    const a = await connectClient(cleanup, t.port1, { localAddress: "127.0.0.14" });
    expect((await t.fl.listConnections())[0]!.source).toBe("unknown");
    await t.fl.addLinkToxic({
      name: "cut",
      type: "blackhole",
      stream: "upstream",
      source: "r5",
      destination: "r1",
    });
    await roundTrip(a, "not yet r5");
    expect(await t.fl.patchSources({ "127.0.0.14": "r5", [R3]: null })).toEqual({
      [R2]: "r2",
      "127.0.0.14": "r5",
    });
    a.socket.write("now held");
    await sleep(150);
    expect(a.total).toBe("not yet r5".length);
    await t.fl.removeLinkToxic("cut");
    await a.waitBytes("not yet r5now held".length, 1_000);
  });

  it("should remove link toxics on DELETE /faultline/toxics and on POST /reset", async () => {
    const t = await topology();
    await t.fl.addLinkToxic({ type: "blackhole", source: "*", destination: "*" });
    await t.fl.addLinkToxic({ type: "latency", source: "r2", destination: "r1", attributes: { latency: 5 } });
    expect((await t.fl.listLinkToxics()).map((x) => x.name)).toEqual([
      "blackhole_downstream_*_*",
      "latency_downstream_r2_r1",
    ]);
    await t.fl.removeAllLinkToxics();
    expect(await t.fl.listLinkToxics()).toEqual([]);
    await t.fl.addLinkToxic({ type: "blackhole", source: "*", destination: "*" });
    await t.toxiproxy.reset();
    expect(await t.fl.listLinkToxics()).toEqual([]);
    const a = await connectClient(cleanup, t.port1, { localAddress: R2 });
    await roundTrip(a, "flows after reset");
  });
});

describe("link toxic API", () => {
  it("should answer Toxiproxy-shaped errors for bad bodies, unknown names and duplicates", async () => {
    const { url } = await topology();
    const post = (body: string) => http(url, "POST", "/faultline/toxics", body);
    expect((await post('{"type":"blackhole","destination":"r1"}')).body).toBe(
      '{"error":"missing required field: source","status":400}\n',
    );
    expect((await post('{"type":"blackhole","source":"r1"}')).status).toBe(400);
    expect((await post('{"type":"teleport","source":"a","destination":"b"}')).body).toContain(
      "invalid toxic type",
    );
    expect((await post('{"type":"latency","stream":"up","source":"a","destination":"b"}')).status).toBe(400);
    expect(
      (await post('{"type":"slicer","source":"a","destination":"b","attributes":{"average_size":-1}}'))
        .status,
    ).toBe(400);
    const ok = await post('{"type":"latency","source":"a","destination":"b","attributes":{"latency":7}}');
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(
      '{"name":"latency_downstream_a_b","type":"latency","stream":"downstream","toxicity":1,"attributes":{"latency":7,"jitter":0},"source":"a","destination":"b"}',
    );
    expect((await post('{"type":"latency","source":"a","destination":"b"}')).status).toBe(409);
    expect((await http(url, "GET", "/faultline/toxics/none")).status).toBe(404);
    expect((await http(url, "DELETE", "/faultline/toxics/none")).status).toBe(404);
    const upd = await http(
      url,
      "PATCH",
      "/faultline/toxics/latency_downstream_a_b",
      '{"attributes":{"jitter":2}}',
    );
    expect(JSON.parse(upd.body).attributes).toEqual({ latency: 7, jitter: 2 });
    expect((await http(url, "GET", "/faultline/proxies/none/link")).status).toBe(404);
    expect((await http(url, "PUT", "/faultline/sources", '{"sources":{"not-an-ip":"x"}}')).status).toBe(400);
    expect((await http(url, "PUT", "/faultline/sources", "{}")).status).toBe(400);
    expect((await http(url, "GET", "/faultline/events?since=abc")).status).toBe(400);
  });
});

describe("events", () => {
  it("should record every change in order, in-process and over the long-poll", async () => {
    const { toxiproxy, url, server } = await startTestProxy(cleanup);
    const fl = new FaultlineProxyClient(url);
    const seen: ProxyEvent[] = [];
    server.events.on("event", (e: ProxyEvent) => seen.push(e));
    const p = await toxiproxy.createProxy({ name: "e", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    await p.addToxic({ name: "l", type: "latency", attributes: { latency: 1 } } as never);
    await fl.addLinkToxic({ name: "cut", type: "blackhole", source: "a", destination: "e" });
    await p.update({ enabled: false, listen: p.listen, upstream: p.upstream });
    const page = await fl.pollEvents();
    expect(page.events.map((e) => e.kind)).toEqual([
      "proxy.created",
      "toxic.added",
      "link-toxic.added",
      "proxy.disabled",
    ]);
    expect(page.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(page.next).toBe(4);
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(page.events[1]).toMatchObject({ proxy: "e", toxic: { name: "l", type: "latency" } });
    expect(page.events[2]).toMatchObject({ toxic: { name: "cut", source: "a", destination: "e" } });
    expect(Date.parse(page.events[0]!.at)).not.toBeNaN();

    const t0 = performance.now();
    const empty = await fl.pollEvents({ since: 4, waitMs: 200 });
    expect(empty).toEqual({ events: [], next: 4 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);

    const waiting = fl.pollEvents({ since: 4, waitMs: 5_000 });
    await sleep(50);
    const t1 = performance.now();
    await fl.removeLinkToxic("cut");
    const woke = await waiting;
    expect(performance.now() - t1).toBeLessThan(500);
    expect(woke.events.map((e) => e.kind)).toEqual(["link-toxic.removed"]);
    expect(woke.next).toBe(5);
  });

  it("should record an event of every documented kind, each naming what changed", async () => {
    const { url } = await startTestProxy(cleanup);
    const fl = new FaultlineProxyClient(url);
    const call = async (method: string, path: string, body?: string): Promise<void> => {
      const res = await http(url, method, path, body);
      expect(res.status, `${method} ${path}: ${res.body}`).toBeLessThan(300);
    };
    await call("POST", "/proxies", '{"name":"e","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"}');
    await call("PATCH", "/proxies/e", '{"enabled":false}');
    await call("PATCH", "/proxies/e", '{"enabled":true}');
    await call("PATCH", "/proxies/e", '{"upstream":"127.0.0.1:2"}');
    await call("POST", "/proxies/e/toxics", '{"name":"l","type":"latency"}');
    await call("PATCH", "/proxies/e/toxics/l", '{"attributes":{"latency":5}}');
    await call("DELETE", "/proxies/e/toxics/l");
    await call("PUT", "/faultline/sources", '{"sources":{"127.0.0.12":"r2"}}');
    await call("PUT", "/faultline/proxies/e/link", '{"destination":"r1"}');
    await call(
      "POST",
      "/faultline/toxics",
      '{"name":"cut","type":"blackhole","source":"r2","destination":"r1"}',
    );
    await call("PATCH", "/faultline/toxics/cut", '{"toxicity":0.5}');
    await call("DELETE", "/faultline/toxics/cut");
    await call("PATCH", "/proxies/e", '{"enabled":false}');
    await call("POST", "/reset");
    await call("POST", "/populate", '[{"name":"e","listen":"127.0.0.1:0","upstream":"127.0.0.1:3"}]');
    await call("DELETE", "/proxies/e");
    const { events } = await fl.pollEvents();
    const kinds = events.map((e) => e.kind);
    expect(kinds).toEqual([
      "proxy.created",
      "proxy.disabled",
      "proxy.enabled",
      "proxy.updated", // a new upstream restarts the proxy: stopped, changed, started again
      "proxy.enabled",
      "toxic.added",
      "toxic.updated",
      "toxic.removed",
      "sources.changed",
      "link.changed",
      "link-toxic.added",
      "link-toxic.updated",
      "link-toxic.removed",
      "proxy.disabled",
      "proxy.enabled",
      "reset",
      "proxy.deleted",
      "proxy.created",
      "proxy.deleted",
    ]);
    // Every kind EXTENSIONS.md lists is among them.
    expect(new Set(kinds).size).toBe(14);
    expect(events.map((e) => e.seq)).toEqual(kinds.map((_, i) => i + 1));
    for (const e of events) expect(Date.parse(e.at)).not.toBeNaN();
    const byKind = (k: string) => events.filter((e) => e.kind === k);
    expect(byKind("proxy.updated")[0]).toMatchObject({ proxy: "e", state: { upstream: "127.0.0.1:2" } });
    expect(byKind("proxy.disabled")[0]).toMatchObject({ proxy: "e", state: { enabled: false } });
    expect(byKind("toxic.updated")[0]).toMatchObject({
      proxy: "e",
      toxic: { name: "l", attributes: { latency: 5, jitter: 0 } },
    });
    expect(byKind("toxic.removed")[0]).toMatchObject({ proxy: "e", toxic: { name: "l" } });
    expect(byKind("sources.changed")[0]).toMatchObject({ sources: { "127.0.0.12": "r2" } });
    expect(byKind("link.changed")[0]).toMatchObject({
      proxy: "e",
      link: { proxy: "e", destination: "r1", source: null },
    });
    expect(byKind("link-toxic.updated")[0]).toMatchObject({ toxic: { name: "cut", toxicity: 0.5 } });
    expect(byKind("proxy.created")[1]).toMatchObject({ proxy: "e", state: { upstream: "127.0.0.1:3" } });
    expect(byKind("proxy.deleted")[1]).toMatchObject({ proxy: "e", state: { upstream: "127.0.0.1:3" } });
  });

  it("should answer a pending long-poll when the server stops", async () => {
    const { url, server } = await startTestProxy(cleanup);
    const fl = new FaultlineProxyClient(url);
    const pending = fl.pollEvents({ waitMs: 10_000 });
    await sleep(50);
    const t0 = performance.now();
    await server.stop();
    expect(await pending).toEqual({ events: [], next: 0 });
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});
