/**
 * Every toxic's semantics over real loopback sockets (compat spec §2.2), with timing bounds tolerant enough for
 * a loaded 2-core machine and tight enough to fail when the toxic is wrong.
 */
import type { Toxiproxy } from "toxiproxy-node-client";
import type { Proxy as ToxiproxyProxy } from "toxiproxy-node-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Cleanup,
  connectClient,
  portOf,
  sleep,
  startServer,
  startTestProxy,
  type Collector,
} from "./proxy-test-helpers.js";
import { seededDraws } from "../../nemesis/proxy/index.js";

let cleanup: Cleanup;
beforeEach(() => {
  cleanup = new Cleanup();
});
afterEach(async () => {
  await cleanup.run();
});

interface Rig {
  toxiproxy: Toxiproxy;
  proxy: ToxiproxyProxy;
  client: Collector;
  upstream: Collector;
}

/** A proxy in front of a recording server (echoing when asked), with one client connected through it. */
async function rig(options: { echo?: boolean; toxics?: object[] } = {}): Promise<Rig> {
  const { toxiproxy } = await startTestProxy(cleanup);
  const server = await startServer(cleanup, { echo: options.echo ?? false });
  const proxy = await toxiproxy.createProxy({
    name: "p",
    listen: "127.0.0.1:0",
    upstream: `127.0.0.1:${server.port}`,
  });
  for (const t of options.toxics ?? []) await proxy.addToxic(t as never);
  const client = await connectClient(cleanup, portOf(proxy.listen));
  const upstream = await server.nextAccepted();
  return { toxiproxy, proxy, client, upstream };
}

/** Time (ms) for `text` to go client → echo server → client. */
async function roundTrip(client: Collector, text = "x"): Promise<number> {
  const before = client.total;
  const t0 = performance.now();
  client.socket.write(text);
  await client.waitBytes(before + text.length, 5_000);
  return performance.now() - t0;
}

/**
 * Round-trip samples. Lower bounds are checked on every sample (a toxic must never be early); upper bounds on
 * the fastest (a loaded machine can only add delay, so the fastest sample is the one that tells).
 */
async function samples(client: Collector, n = 3): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await roundTrip(client));
  return out;
}

describe("latency toxic", () => {
  it("should delay each direction by its latency within ±15 ms", async () => {
    const down = await rig({ echo: true, toxics: [{ type: "latency", attributes: { latency: 100 } }] });
    const rtt = await samples(down.client);
    expect(Math.min(...rtt)).toBeGreaterThanOrEqual(99);
    expect(Math.min(...rtt)).toBeLessThanOrEqual(115);
    await down.proxy.addToxic({ type: "latency", stream: "upstream", attributes: { latency: 50 } } as never);
    const both = await samples(down.client);
    expect(Math.min(...both)).toBeGreaterThanOrEqual(149);
    expect(Math.min(...both)).toBeLessThanOrEqual(165);
  });

  it("should add up when two latency toxics are stacked on one stream", async () => {
    const r = await rig({
      echo: true,
      toxics: [
        { name: "a", type: "latency", attributes: { latency: 100 } },
        { name: "b", type: "latency", attributes: { latency: 100 } },
      ],
    });
    const rtt = await samples(r.client);
    expect(Math.min(...rtt)).toBeGreaterThanOrEqual(199);
    expect(Math.min(...rtt)).toBeLessThanOrEqual(215);
  });

  it("should keep every delay within latency ± jitter and vary it", async () => {
    const r = await rig({
      echo: true,
      toxics: [{ type: "latency", attributes: { latency: 50, jitter: 20 } }],
    });
    const rtts = await samples(r.client, 15);
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(29);
    // Delays are at most 69 ms; allow stalls of a loaded machine on a few samples, not on most.
    expect(rtts.filter((x) => x <= 70 + 15).length).toBeGreaterThanOrEqual(11);
    expect(Math.max(...rtts) - Math.min(...rtts)).toBeGreaterThan(5);
  });

  it("should delay a burst once (pipelined), not once per chunk", async () => {
    const r = await rig({ toxics: [{ type: "latency", attributes: { latency: 100 } }] });
    const t0 = performance.now();
    for (let i = 0; i < 64; i++) r.upstream.socket.write(Buffer.alloc(16 * 1024, i));
    await r.client.waitBytes(64 * 16 * 1024, 5_000);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(99);
    expect(elapsed).toBeLessThan(400);
  });
});

describe("bandwidth toxic", () => {
  it("should pace 200,000 bytes at rate 1000 KB/s over about 200 ms", async () => {
    const r = await rig({ toxics: [{ type: "bandwidth", attributes: { rate: 1000 } }] });
    const times: number[] = [];
    for (let i = 1; i <= 2; i++) {
      const t0 = performance.now();
      r.upstream.socket.write(Buffer.alloc(200_000, i));
      await r.client.waitBytes(200_000 * i, 5_000);
      times.push(performance.now() - t0);
      await sleep(50);
    }
    expect(Math.min(...times)).toBeGreaterThanOrEqual(185);
    expect(Math.min(...times)).toBeLessThanOrEqual(260);
  });

  it("should stall at rate 0 and release the bytes when updated", async () => {
    const r = await rig({ toxics: [{ name: "bw", type: "bandwidth", attributes: { rate: 0 } }] });
    r.upstream.socket.write("held");
    await sleep(150);
    expect(r.client.total).toBe(0);
    const toxic = await r.proxy.getToxic("bw");
    await toxic.update({ attributes: { rate: 1000 } } as never);
    await r.client.waitBytes(4, 1_000);
    expect(r.client.data.toString()).toBe("held");
  });
});

describe("slicer toxic", () => {
  it("should forward 24 bytes as 1-byte slices when average_size is 1 and variation 0", async () => {
    const r = await rig({
      toxics: [{ type: "slicer", attributes: { average_size: 1, size_variation: 0, delay: 5000 } }],
    });
    const payload = Buffer.from("abcdefghijklmnopqrstuvwx");
    r.upstream.socket.write(payload);
    await r.client.waitBytes(24, 5_000);
    expect(r.client.data.equals(payload)).toBe(true);
    // One read per slice (5 ms apart); a very busy machine may merge a few.
    expect(r.client.chunks.length).toBeGreaterThanOrEqual(18);
    expect(r.client.chunks.length).toBeLessThanOrEqual(24);
  });

  it("should cut a chunk into slices of average_size ± size_variation with the bytes intact", async () => {
    const r = await rig({
      toxics: [{ type: "slicer", attributes: { average_size: 100, size_variation: 50, delay: 3000 } }],
    });
    const payload = Buffer.from(Array.from({ length: 4800 }, (_, i) => i % 251));
    r.upstream.socket.write(payload);
    await r.client.waitBytes(4800, 5_000);
    expect(r.client.data.equals(payload)).toBe(true);
    // Slices are 50–150 bytes: between 32 and 96 of them.
    expect(r.client.chunks.length).toBeGreaterThanOrEqual(24);
    expect(r.client.chunks.length).toBeLessThanOrEqual(96);
    expect(Math.max(...r.client.chunks.map((c) => c.length))).toBeLessThanOrEqual(300);
  });
});

describe("limit_data toxic", () => {
  const limit = [{ type: "limit_data", attributes: { bytes: 100 } }];

  it("should pass less than the limit and keep the connection open", async () => {
    const r = await rig({ toxics: limit });
    r.upstream.socket.write(Buffer.alloc(50, 1));
    await r.client.waitBytes(50);
    await sleep(100);
    expect(r.client.ended).toBe(false);
  });

  it("should pass exactly the limit and then close", async () => {
    const r = await rig({ toxics: limit });
    r.upstream.socket.write(Buffer.alloc(100, 1));
    await r.client.waitEnded(1_000);
    expect(r.client.total).toBe(100);
  });

  it("should truncate the chunk that crosses the limit, then close", async () => {
    const r = await rig({ toxics: limit });
    r.upstream.socket.write(Buffer.alloc(150, 2));
    await r.client.waitEnded(1_000);
    expect(r.client.total).toBe(100);
  });

  it("should truncate the second of two chunks that together overflow", async () => {
    const r = await rig({ toxics: limit });
    r.upstream.socket.write(Buffer.alloc(60, 3));
    await r.client.waitBytes(60);
    r.upstream.socket.write(Buffer.alloc(60, 4));
    await r.client.waitEnded(1_000);
    expect(r.client.data).toEqual(Buffer.concat([Buffer.alloc(60, 3), Buffer.alloc(40, 4)]));
  });

  it("should close on the first chunk, forwarding nothing, when bytes is 0, but not close an idle connection", async () => {
    const r = await rig({ toxics: [{ type: "limit_data", attributes: { bytes: 0 } }] });
    await sleep(100);
    expect(r.client.ended).toBe(false);
    r.upstream.socket.write("x");
    await r.client.waitEnded(1_000);
    expect(r.client.total).toBe(0);
  });

  it("should keep its byte count across an update", async () => {
    const r = await rig({ toxics: [{ name: "lim", type: "limit_data", attributes: { bytes: 100 } }] });
    r.upstream.socket.write(Buffer.alloc(80, 1));
    await r.client.waitBytes(80);
    await (await r.proxy.getToxic("lim")).update({ attributes: { bytes: 90 } } as never);
    r.upstream.socket.write(Buffer.alloc(80, 2));
    await r.client.waitEnded(1_000);
    expect(r.client.total).toBe(90);
  });
});

describe("reset_peer toxic", () => {
  it("should reset the client (ECONNRESET) on the first data", async () => {
    const r = await rig({ echo: true, toxics: [{ type: "reset_peer", attributes: { timeout: 0 } }] });
    r.client.socket.write("hello");
    await r.client.waitClosed(1_000);
    expect(r.client.error?.code).toBe("ECONNRESET");
    expect(r.client.total).toBe(0);
  });

  it("should reset with a real RST when added to an already open connection, after its timeout", async () => {
    const r = await rig({ echo: true });
    expect(await roundTrip(r.client)).toBeLessThan(1_000);
    await r.proxy.addToxic({ type: "reset_peer", stream: "upstream", attributes: { timeout: 200 } } as never);
    const t0 = performance.now();
    r.client.socket.write("again");
    await r.client.waitClosed(2_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
    expect(r.client.error?.code).toBe("ECONNRESET");
    await r.upstream.waitClosed(1_000);
    expect(r.upstream.error?.code).toBe("ECONNRESET");
  });

  it("should never reset when its toxicity is 0", async () => {
    const r = await rig({
      echo: true,
      toxics: [{ type: "reset_peer", toxicity: 0, attributes: { timeout: 0 } }],
    });
    expect(await roundTrip(r.client, "fine")).toBeLessThan(1_000);
    r.client.socket.end();
    await r.client.waitEnded(1_000);
    expect(r.client.error).toBeUndefined();
  });
});

describe("timeout toxic", () => {
  it("should drop data and close the stream after its timeout, even with steady traffic", async () => {
    const r = await rig({ toxics: [{ type: "timeout", attributes: { timeout: 300 } }] });
    const t0 = performance.now();
    const ticker = setInterval(() => r.upstream.socket.write("tick"), 40);
    try {
      await r.client.waitEnded(2_000);
    } finally {
      clearInterval(ticker);
    }
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(600);
    expect(r.client.total).toBe(0);
  });

  it("should close both ends when a timeout 0 toxic is removed", async () => {
    const r = await rig({ toxics: [{ name: "hole", type: "timeout", attributes: { timeout: 0 } }] });
    r.upstream.socket.write("lost");
    await sleep(100);
    expect(r.client.total).toBe(0);
    expect(r.client.ended).toBe(false);
    await (await r.proxy.getToxic("hole")).remove();
    await r.client.waitEnded(1_000);
    await r.upstream.waitEnded(1_000);
  });

  it("should start applying when its toxicity is updated from 0 to 1", async () => {
    const r = await rig({
      echo: true,
      toxics: [{ name: "t", type: "timeout", toxicity: 0, attributes: { timeout: 100 } }],
    });
    expect(await roundTrip(r.client)).toBeLessThan(1_000);
    const t0 = performance.now();
    await (await r.proxy.getToxic("t")).update({ toxicity: 1 } as never);
    await r.client.waitEnded(1_000);
    expect(performance.now() - t0).toBeLessThan(250);
  });
});

describe("slow_close toxic", () => {
  it("should pass data at once and hold the close back by its delay", async () => {
    const r = await rig({ toxics: [{ type: "slow_close", attributes: { delay: 200 } }] });
    const t0 = performance.now();
    r.upstream.socket.end("bye");
    await r.client.waitBytes(3, 500);
    expect(performance.now() - t0).toBeLessThan(190);
    await r.client.waitEnded(1_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
  });
});

describe("noop toxic", () => {
  it("should pass bytes through unchanged", async () => {
    const r = await rig({ echo: true, toxics: [{ type: "noop" }, { type: "noop", stream: "upstream" }] });
    expect(await roundTrip(r.client, "same bytes")).toBeLessThan(1_000);
    expect(r.client.data.toString()).toBe("same bytes");
  });
});

describe("toxicity", () => {
  /** Opens `order.length` connections, the i-th through proxy `order[i]`, and says whether each was cut. */
  async function outcomes(seed: number, order: readonly ("p" | "q")[]): Promise<string[]> {
    const { toxiproxy } = await startTestProxy(cleanup, { seed });
    const server = await startServer(cleanup);
    const proxies = {
      p: await toxiproxy.createProxy({
        name: "p",
        listen: "127.0.0.1:0",
        upstream: `127.0.0.1:${server.port}`,
      }),
      q: await toxiproxy.createProxy({
        name: "q",
        listen: "127.0.0.1:0",
        upstream: `127.0.0.1:${server.port}`,
      }),
    };
    for (const proxy of Object.values(proxies)) {
      await proxy.addToxic({
        name: "cut",
        type: "limit_data",
        toxicity: 0.5,
        attributes: { bytes: 0 },
      } as never);
    }
    const out: string[] = [];
    for (const name of order) {
      const client = await connectClient(cleanup, portOf(proxies[name].listen));
      const upstream = await server.nextAccepted();
      upstream.socket.write("x");
      await client.until(() => client.total > 0 || client.ended, 1_000, "data or end");
      out.push(client.total > 0 ? "passed" : "cut");
    }
    return out;
  }

  /** What the seed says the n-th connection of `proxy` draws for the toxic `cut` (downstream: server → client). */
  function predicted(seed: number, order: readonly ("p" | "q")[]): string[] {
    const draws = seededDraws(seed);
    const ordinals = { p: 0, q: 0 };
    return order.map((proxy) => {
      const next = draws.sequence({
        proxy,
        toxic: "cut",
        scope: "proxy",
        connection: ++ordinals[proxy],
        stream: "downstream",
        use: "toxicity",
      });
      return next() < 0.5 ? "cut" : "passed";
    });
  }

  it("should apply a toxic to exactly the connections whose seeded draw falls under its toxicity", async () => {
    const order = ["p", "q", "p", "p", "q", "q", "p", "q"] as const;
    const seed = 20_261_207;
    const expected = predicted(seed, order);
    // The seed must make this test able to fail: both outcomes occur.
    expect(new Set(expected)).toEqual(new Set(["cut", "passed"]));
    expect(await outcomes(seed, order)).toEqual(expected);
  });

  it("should give each proxy's connections the same draws when connections to other proxies interleave differently", async () => {
    const seed = 7;
    const a = await outcomes(seed, ["p", "p", "p", "p", "q", "q", "q", "q"]);
    expect(new Set(a)).toEqual(new Set(["cut", "passed"]));
    const b = await outcomes(seed, ["q", "p", "q", "p", "q", "p", "q", "p"]);
    const byProxy = (out: string[], order: string[]): Record<string, string[]> => ({
      p: out.filter((_, i) => order[i] === "p"),
      q: out.filter((_, i) => order[i] === "q"),
    });
    expect(byProxy(b, ["q", "p", "q", "p", "q", "p", "q", "p"])).toEqual(
      byProxy(a, ["p", "p", "p", "p", "q", "q", "q", "q"]),
    );
  });
});
