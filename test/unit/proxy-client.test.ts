/**
 * The extension-route client: server detection (faultline vs a real Toxiproxy), deadlines on every request, and
 * failures as FaultlineErrors with a code, the values and a hint.
 */
import { createServer, type Server } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFaultlineError } from "../../core/errors/index.js";
import { detectFaultlineServer, FaultlineProxyClient } from "../../nemesis/proxy-client/index.js";
import { Cleanup, startTestProxy } from "./proxy-test-helpers.js";

let cleanup: Cleanup;
beforeEach(() => {
  cleanup = new Cleanup();
});
afterEach(async () => {
  await cleanup.run();
});

/** An HTTP server answering with `handler`, closed after the test. */
async function fakeServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.add(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (err: unknown) => err,
  );
}

describe("detectFaultlineServer", () => {
  it("should identify faultline's server with its features", async () => {
    const { url } = await startTestProxy(cleanup);
    const kind = await detectFaultlineServer(url);
    expect(kind).toEqual({
      server: "faultline",
      version: "2.12.0",
      faultline: "0.1.0",
      features: ["sources", "links", "events", "connections", "batch", "source-resolver"],
    });
  });

  it("should report a real Toxiproxy when /version has no server field", async () => {
    const url = await fakeServer((_req, res) => {
      res.setHeader("Content-Type", "application/json;charset=utf-8");
      res.end('{"version": "2.12.0"}\n');
    });
    expect(await detectFaultlineServer(url)).toEqual({ server: "toxiproxy", version: "2.12.0" });
  });

  it("should fail with PROXY_API_UNREACHABLE when nothing listens", async () => {
    const url = await fakeServer((_req, res) => res.end());
    await cleanup.run();
    const err = await failure(detectFaultlineServer(url, { timeoutMs: 1_000 }));
    expect(isFaultlineError(err) && err.code).toBe("PROXY_API_UNREACHABLE");
  });
});

describe("FaultlineProxyClient", () => {
  it("should fail with PROXY_API_TIMEOUT within its deadline when the server never answers", async () => {
    const url = await fakeServer(() => {
      /* never answers */
    });
    const client = new FaultlineProxyClient(url, { timeoutMs: 200 });
    const t0 = performance.now();
    const err = await failure(client.listLinkToxics());
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(isFaultlineError(err) && err.code).toBe("PROXY_API_TIMEOUT");
    expect(isFaultlineError(err) && err.details).toMatchObject({ method: "GET", timeoutMs: 200 });
  });

  it("should turn an error answer into PROXY_API_ERROR with the status and the server's message", async () => {
    const { url } = await startTestProxy(cleanup);
    const client = new FaultlineProxyClient(url);
    const err = await failure(client.addLinkToxic({ type: "blackhole", source: "", destination: "r1" }));
    expect(isFaultlineError(err)).toBe(true);
    if (!isFaultlineError(err)) return;
    expect(err.code).toBe("PROXY_API_ERROR");
    expect(err.details).toMatchObject({ status: 400, error: "missing required field: source" });
    expect(err.message).toContain("answered 400: missing required field: source");
  });

  it("should apply a batch of link toxics at once, and nothing when one entry is bad", async () => {
    const { url } = await startTestProxy(cleanup);
    const client = new FaultlineProxyClient(url);
    await client.addLinkToxic({ name: "old", type: "blackhole", source: "n1", destination: "n2" });
    const added = await client.batchLinkToxics({
      add: [
        { name: "a", type: "blackhole", stream: "upstream", source: "n1", destination: "n3" },
        { name: "b", type: "latency", source: "n3", destination: "n1", attributes: { latency: 5 } },
      ],
      remove: ["old"],
    });
    expect(added.map((t) => t.name)).toEqual(["a", "b"]);
    expect((await client.listLinkToxics()).map((t) => t.name)).toEqual(["a", "b"]);

    const dup = await failure(
      client.batchLinkToxics({
        add: [
          { name: "c", type: "blackhole", source: "n2", destination: "n3" },
          { name: "a", type: "blackhole", source: "n2", destination: "n1" },
        ],
      }),
    );
    expect(isFaultlineError(dup) && dup.details).toMatchObject({
      status: 409,
      error: "add[1]: toxic already exists",
    });
    const missing = await failure(client.batchLinkToxics({ remove: ["a", "nope"] }));
    expect(isFaultlineError(missing) && missing.details).toMatchObject({ status: 404 });
    // Neither failed batch changed anything.
    expect((await client.listLinkToxics()).map((t) => t.name)).toEqual(["a", "b"]);
    await client.batchLinkToxics({ remove: ["a", "b"] });
    expect(await client.listLinkToxics()).toEqual([]);
  });

  it("should hint at a real Toxiproxy when the extension routes are unknown", async () => {
    const url = await fakeServer((_req, res) => {
      res.statusCode = 404;
      res.end("404 page not found\n");
    });
    const err = await failure(new FaultlineProxyClient(url).getSources());
    expect(isFaultlineError(err) && err.hint).toMatch(/real Toxiproxy/);
  });

  it("should round-trip every extension route against faultline's server", async () => {
    const { url, toxiproxy } = await startTestProxy(cleanup);
    const client = new FaultlineProxyClient(url);
    await toxiproxy.createProxy({ name: "r1", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    expect(await client.setSources({ "127.0.0.11": "r1" })).toEqual({ "127.0.0.11": "r1" });
    expect(await client.patchSources({ "127.0.0.12": "r2" })).toEqual({
      "127.0.0.11": "r1",
      "127.0.0.12": "r2",
    });
    expect(await client.getSources()).toEqual({ "127.0.0.11": "r1", "127.0.0.12": "r2" });
    expect(await client.setLink("r1", { destination: "node-1" })).toEqual({
      proxy: "r1",
      destination: "node-1",
      source: null,
    });
    const added = await client.addLinkToxic({
      name: "d",
      type: "latency",
      source: "r2",
      destination: "node-1",
    });
    expect(added).toMatchObject({
      name: "d",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 0, jitter: 0 },
    });
    expect(await client.updateLinkToxic("d", { toxicity: 0.5 })).toMatchObject({ toxicity: 0.5 });
    expect(await client.getLinkToxic("d")).toMatchObject({ toxicity: 0.5 });
    await client.removeLinkToxic("d");
    expect(await client.listLinkToxics()).toEqual([]);
    expect(await client.listConnections()).toEqual([]);
    const page = await client.pollEvents({ since: 0 });
    expect(page.events.map((e) => e.kind)).toEqual([
      "proxy.created",
      "sources.changed",
      "sources.changed",
      "link.changed",
      "link-toxic.added",
      "link-toxic.updated",
      "link-toxic.removed",
    ]);
  });
});
