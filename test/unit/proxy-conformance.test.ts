/**
 * Drives the proxy with toxiproxy-node-client 4.1.0 through every method it has, as the client's own test suite
 * does against a real Toxiproxy 2.12 (compat spec §3).
 */
import type { ICreateToxicBody } from "toxiproxy-node-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Cleanup, connectClient, portOf, startServer, startTestProxy } from "./proxy-test-helpers.js";

let cleanup: Cleanup;
beforeEach(() => {
  cleanup = new Cleanup();
});
afterEach(async () => {
  await cleanup.run();
});

/** The client's typings require every field; its own tests send partial bodies through casts, as here. */
function toxic<T>(body: Partial<ICreateToxicBody<T>>): ICreateToxicBody<T> {
  return body as ICreateToxicBody<T>;
}

describe("Toxiproxy.createProxy", () => {
  it("should return the proxy with its listen address resolved when created on localhost:0", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const proxy = await toxiproxy.createProxy({
      name: "redis",
      listen: "localhost:0",
      upstream: "localhost:6379",
    });
    expect(proxy.name).toBe("redis");
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(portOf(proxy.listen)).toBeGreaterThan(0);
    expect(proxy.upstream).toBe("localhost:6379");
    expect(proxy.enabled).toBe(true);
  });

  it("should throw 'Request failed with status code 409' when the name is taken", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    await toxiproxy.createProxy({ name: "dup", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    await expect(
      toxiproxy.createProxy({ name: "dup", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" }),
    ).rejects.toThrow("Request failed with status code 409");
  });
});

describe("Toxiproxy.populate", () => {
  it("should create every proxy and return them by name when given a list", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const proxies = await toxiproxy.populate([
      { name: "a", listen: "localhost:0", upstream: "127.0.0.1:1" },
      { name: "b", listen: "127.0.0.1:0", upstream: "127.0.0.1:2", enabled: false },
    ]);
    expect(Object.keys(proxies).sort()).toEqual(["a", "b"]);
    expect(proxies.a!.enabled).toBe(true);
    expect(proxies.a!.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(proxies.b!.enabled).toBe(false);
    expect(proxies.b!.listen).toBe("127.0.0.1:0");
  });

  it("should return an empty map when given an empty list", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    expect(await toxiproxy.populate([])).toEqual({});
  });
});

describe("Toxiproxy.get and getAll", () => {
  it("should return one proxy by name and all proxies with resolved listen addresses", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const created = await toxiproxy.populate([
      { name: "one", listen: "localhost:0", upstream: "127.0.0.1:1" },
      { name: "two", listen: "localhost:0", upstream: "127.0.0.1:2" },
    ]);
    const one = await toxiproxy.get("one");
    expect(one.toJson()).toEqual(created.one!.toJson());
    const all = await toxiproxy.getAll();
    expect(Object.keys(all)).toEqual(["one", "two"]);
    expect(all.two!.listen).toBe(created.two!.listen);
    await expect(toxiproxy.get("nope")).rejects.toThrow("Request failed with status code 404");
  });
});

describe("Toxiproxy.getVersion", () => {
  it("should return Toxiproxy's raw version text with faultline's identification", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const text = await toxiproxy.getVersion();
    expect(text.endsWith("\n")).toBe(true);
    expect(text.startsWith('{"version": "2.12.0"')).toBe(true);
    const parsed = JSON.parse(text) as { version: string; server: string; features: string[] };
    expect(parsed.server).toBe("faultline");
    expect(parsed.features).toEqual([
      "sources",
      "links",
      "events",
      "connections",
      "batch",
      "source-resolver",
    ]);
  });
});

describe("Proxy.update", () => {
  it("should disable, then re-enable on the same port with a new upstream", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const proxy = await toxiproxy.createProxy({ name: "p", listen: "localhost:0", upstream: "127.0.0.1:1" });
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    expect(disabled.listen).toBe(proxy.listen);
    const enabled = await disabled.update({
      enabled: true,
      listen: proxy.listen,
      upstream: "somehost:12345",
    });
    expect(enabled.enabled).toBe(true);
    expect(enabled.upstream).toBe("somehost:12345");
    expect(enabled.listen).toBe(proxy.listen);
  });
});

describe("Proxy.remove", () => {
  it("should delete the proxy so that get answers 404", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const proxy = await toxiproxy.createProxy({
      name: "gone",
      listen: "127.0.0.1:0",
      upstream: "127.0.0.1:1",
    });
    await proxy.remove();
    await expect(toxiproxy.get("gone")).rejects.toThrow("Request failed with status code 404");
    await expect(proxy.remove()).rejects.toThrow("Request failed with status code 404");
  });
});

describe("Proxy.addToxic", () => {
  const cases: [string, Record<string, number>][] = [
    ["latency", { latency: 1000, jitter: 100 }],
    ["bandwidth", { rate: 1000 }],
    ["slow_close", { delay: 1000 }],
    ["timeout", { timeout: 1000 }],
    ["slicer", { average_size: 64, size_variation: 32, delay: 10 }],
    ["limit_data", { bytes: 1000 }],
    ["reset_peer", { timeout: 1000 }],
  ];
  for (const [type, attributes] of cases) {
    it(`should add a ${type} toxic and echo its attributes`, async () => {
      const { toxiproxy } = await startTestProxy(cleanup);
      const proxy = await toxiproxy.createProxy({
        name: "t",
        listen: "127.0.0.1:0",
        upstream: "127.0.0.1:1",
      });
      const added = await proxy.addToxic(
        toxic({
          name: `${type}-up`,
          type: type as ICreateToxicBody<unknown>["type"],
          stream: "upstream",
          toxicity: 0.5,
          attributes,
        }),
      );
      expect(added.toJson()).toEqual({
        name: `${type}-up`,
        type,
        stream: "upstream",
        toxicity: 0.5,
        attributes,
      });
    });
  }

  it("should default the name, stream, toxicity and attributes when given only a type", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const proxy = await toxiproxy.createProxy({ name: "d", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    const added = await proxy.addToxic(toxic({ type: "latency" }));
    expect(added.toJson()).toEqual({
      name: "latency_downstream",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 0, jitter: 0 },
    });
  });

  it("should throw 409 when the toxic name is taken in the other stream", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const proxy = await toxiproxy.createProxy({ name: "c", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    await proxy.addToxic(toxic({ name: "x", type: "latency", stream: "upstream" }));
    await expect(proxy.addToxic(toxic({ name: "x", type: "latency", stream: "downstream" }))).rejects.toThrow(
      "Request failed with status code 409",
    );
  });
});

describe("Proxy.getToxic and Toxic.update/remove", () => {
  it("should merge a partial update, keep the toxicity, and answer 404 after removal", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const proxy = await toxiproxy.createProxy({ name: "u", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    await proxy.addToxic(
      toxic({ name: "lat", type: "latency", toxicity: 0.25, attributes: { latency: 100, jitter: 10 } }),
    );
    const got = await proxy.getToxic<{ latency: number; jitter: number }>("lat");
    expect(got.attributes).toEqual({ latency: 100, jitter: 10 });
    const updated = await got.update({ attributes: { latency: 1000 } } as never);
    expect(updated.attributes).toEqual({ latency: 1000, jitter: 10 });
    expect(updated.toxicity).toBe(0.25);
    await updated.remove();
    await expect(proxy.getToxic("lat")).rejects.toThrow("Request failed with status code 404");
  });
});

describe("Toxiproxy.reset", () => {
  it("should re-enable every proxy and remove every toxic", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const proxy = await toxiproxy.createProxy({ name: "r", listen: "localhost:0", upstream: "127.0.0.1:1" });
    await proxy.addToxic(toxic({ type: "latency", attributes: { latency: 10, jitter: 0 } }));
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await toxiproxy.reset();
    const after = await toxiproxy.get("r");
    expect(after.enabled).toBe(true);
    expect(after.listen).toBe(proxy.listen);
    await expect(after.getToxic("latency_downstream")).rejects.toThrow("Request failed with status code 404");
  });
});

describe("Proxy data path through the client", () => {
  it("should proxy bytes to the upstream and refuse connections while disabled", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const echo = await startServer(cleanup, { echo: true });
    const proxy = await toxiproxy.createProxy({
      name: "e",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${echo.port}`,
    });
    const client = await connectClient(cleanup, portOf(proxy.listen));
    client.socket.write("ping");
    await client.waitBytes(4);
    expect(client.data.toString()).toBe("ping");
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await client.waitEnded(2_000);
    await expect(connectClient(cleanup, portOf(proxy.listen))).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });
});
