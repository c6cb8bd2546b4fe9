/**
 * The data path over real loopback sockets: integrity under live toxic churn, EOF behind queued data,
 * half-close, backpressure, dial failures, and accept-then-dial never blocking other clients (compat spec §2.1).
 */
import { spawn } from "node:child_process";
import type { Toxiproxy } from "toxiproxy-node-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Cleanup,
  connectClient,
  eventually,
  http,
  portOf,
  sleep,
  startServer,
  startTestProxy,
} from "./proxy-test-helpers.js";

let cleanup: Cleanup;
beforeEach(() => {
  cleanup = new Cleanup();
});
afterEach(async () => {
  await cleanup.run();
});

async function proxyTo(toxiproxy: Toxiproxy, upstreamPort: number, name = "p"): Promise<number> {
  const p = await toxiproxy.createProxy({
    name,
    listen: "127.0.0.1:0",
    upstream: `127.0.0.1:${upstreamPort}`,
  });
  return portOf(p.listen);
}

function sequence(count: number): Buffer {
  const buf = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) buf.writeUInt32BE(i, i * 4);
  return buf;
}

function firstMismatch(got: Buffer, want: Buffer): number {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) return i;
  return got.length === want.length ? -1 : n;
}

describe("proxy data path", () => {
  it("should deliver tens of thousands of sequenced writes intact and in order while toxics churn, then end cleanly", async () => {
    const { toxiproxy, url } = await startTestProxy(cleanup);
    const echo = await startServer(cleanup, { echo: true });
    const port = await proxyTo(toxiproxy, echo.port);
    const client = await connectClient(cleanup, port);
    const COUNT = 40_000;
    const want = sequence(COUNT);

    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < COUNT; i++) {
        client.socket.write(want.subarray(i * 4, i * 4 + 4));
        if (i % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      writing = false;
      client.socket.end();
    })();
    const churn = [
      [
        "POST",
        "/proxies/p/toxics",
        '{"name":"lat","type":"latency","stream":"upstream","attributes":{"latency":2,"jitter":2}}',
      ],
      [
        "POST",
        "/proxies/p/toxics",
        '{"name":"slice","type":"slicer","attributes":{"average_size":7,"size_variation":3}}',
      ],
      ["PATCH", "/proxies/p/toxics/lat", '{"attributes":{"latency":1}}'],
      [
        "POST",
        "/proxies/p/toxics",
        '{"name":"bw","type":"bandwidth","stream":"upstream","attributes":{"rate":50000}}',
      ],
      ["DELETE", "/proxies/p/toxics/slice"],
      ["POST", "/proxies/p/toxics", '{"name":"nop","type":"noop","stream":"downstream"}'],
      ["DELETE", "/proxies/p/toxics/lat"],
      ["POST", "/proxies/p/toxics", '{"name":"lat2","type":"latency","attributes":{"latency":3}}'],
      ["PATCH", "/proxies/p/toxics/bw", '{"attributes":{"rate":0}}'],
      ["PATCH", "/proxies/p/toxics/bw", '{"attributes":{"rate":100000}}'],
      ["DELETE", "/proxies/p/toxics/bw"],
      ["DELETE", "/proxies/p/toxics/nop"],
      ["DELETE", "/proxies/p/toxics/lat2"],
    ] as const;
    let rounds = 0;
    while (writing) {
      for (const [method, path, body] of churn) {
        const res = await http(url, method, path, body);
        expect(res.status).toBeLessThan(300);
      }
      rounds++;
    }
    await writer;
    await client.waitEnded(20_000);
    expect(rounds).toBeGreaterThan(0);
    const got = client.data;
    expect(firstMismatch(got, want)).toBe(-1);
    expect(echo.accepted[0]!.data.equals(want)).toBe(true);
  });

  it("should deliver queued data before the end of the stream when the server closes behind a latency toxic", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const server = await startServer(cleanup);
    const port = await proxyTo(toxiproxy, server.port);
    const p = await toxiproxy.get("p");
    await p.addToxic({ type: "latency", attributes: { latency: 150 } } as never);
    const client = await connectClient(cleanup, port);
    const upstream = await server.nextAccepted();
    const t0 = performance.now();
    upstream.socket.end("last words");
    await client.waitEnded(2_000);
    expect(client.data.toString()).toBe("last words");
    expect(client.times[0]! - t0).toBeGreaterThanOrEqual(140);
  });

  it("should keep the other direction open when the client half-closes", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const server = await startServer(cleanup);
    const port = await proxyTo(toxiproxy, server.port);
    const client = await connectClient(cleanup, port);
    const upstream = await server.nextAccepted();
    client.socket.end("request");
    await upstream.until(() => upstream.ended, 2_000, "server sees FIN");
    expect(upstream.data.toString()).toBe("request");
    upstream.socket.end("response after FIN");
    await client.waitEnded(2_000);
    expect(client.data.toString()).toBe("response after FIN");
    await eventually(
      async () =>
        JSON.parse((await http(toxiproxyUrl(toxiproxy), "GET", "/faultline/connections")).body).length === 0,
      2_000,
      "connection gone",
    );
  });

  it("should stop reading from the client when the server does not read (backpressure)", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const server = await startServer(cleanup);
    const port = await proxyTo(toxiproxy, server.port);
    const p = await toxiproxy.get("p");
    await p.addToxic({ type: "latency", stream: "upstream", attributes: { latency: 1 } } as never);
    const client = await connectClient(cleanup, port);
    const upstream = await server.nextAccepted();
    upstream.socket.pause();
    const block = Buffer.alloc(1 << 20, 7);
    let written = 0;
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline && written < 256 << 20) {
      if (client.socket.writableLength > 8 << 20) {
        await sleep(50);
        continue;
      }
      client.socket.write(block);
      written += block.length;
      await new Promise((r) => setImmediate(r));
    }
    // The proxy holds at most its 16 MiB chain budget plus socket buffers; without backpressure all 256 MiB would go.
    const accepted = written - client.socket.writableLength;
    expect(accepted).toBeLessThan(96 << 20);
    upstream.socket.resume();
    await upstream.waitBytes(written, 20_000);
    expect(upstream.total).toBe(written);
  });

  it("should close the client when the upstream refuses the connection", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const server = await startServer(cleanup);
    const deadPort = server.port;
    await new Promise((r) => server.server.close(r));
    const port = await proxyTo(toxiproxy, deadPort);
    const client = await connectClient(cleanup, port);
    const t0 = performance.now();
    await client.waitEnded(500);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it("should keep accepting and serving while an upstream dial hangs, and give up after the dial timeout", async () => {
    const { toxiproxy, url } = await startTestProxy(cleanup, { dialTimeoutMs: 600 });
    const hole = await blackholedPort(cleanup);
    const echo = await startServer(cleanup, { echo: true });
    const stuckPort = await proxyTo(toxiproxy, hole, "stuck");
    const okPort = await proxyTo(toxiproxy, echo.port, "ok");
    const t0 = performance.now();
    const stuck1 = await connectClient(cleanup, stuckPort);
    const stuck2 = await connectClient(cleanup, stuckPort);
    const fine = await connectClient(cleanup, okPort);
    fine.socket.write("still works");
    await fine.waitBytes(11, 1_000);
    const conns = JSON.parse((await http(url, "GET", "/faultline/connections")).body) as { proxy: string }[];
    expect(conns.filter((c) => c.proxy === "stuck")).toHaveLength(2);
    expect(performance.now() - t0).toBeLessThan(500);
    await stuck1.waitEnded(2_000);
    await stuck2.waitEnded(2_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(550);
  });

  it("should close open connections when the proxy is deleted", async () => {
    const { toxiproxy } = await startTestProxy(cleanup);
    const echo = await startServer(cleanup, { echo: true });
    const port = await proxyTo(toxiproxy, echo.port);
    const client = await connectClient(cleanup, port);
    const upstream = await echo.nextAccepted();
    await (await toxiproxy.get("p")).remove();
    await client.waitEnded(1_000);
    await upstream.waitEnded(1_000);
  });
});

describe("never stalls", () => {
  it("should answer toxic removals within milliseconds when the destination does not read", async () => {
    const { toxiproxy, url } = await startTestProxy(cleanup);
    const server = await startServer(cleanup);
    const port = await proxyTo(toxiproxy, server.port);
    await http(
      url,
      "POST",
      "/proxies/p/toxics",
      '{"name":"lat","type":"latency","stream":"upstream","attributes":{"latency":5}}',
    );
    await http(
      url,
      "POST",
      "/proxies/p/toxics",
      '{"name":"bw","type":"bandwidth","stream":"upstream","attributes":{"rate":0}}',
    );
    const client = await connectClient(cleanup, port);
    const upstream = await server.nextAccepted();
    upstream.socket.pause(); // the destination never reads
    client.socket.write(Buffer.alloc(24 << 20, 1)); // fills the kernel buffers and the chain's budget
    await sleep(300);
    for (const path of ["/proxies/p/toxics/bw", "/proxies/p/toxics/lat"]) {
      const t0 = performance.now();
      expect((await http(url, "DELETE", path)).status).toBe(204);
      expect(performance.now() - t0).toBeLessThan(500);
    }
    upstream.socket.resume();
    await upstream.waitBytes(24 << 20, 20_000);
  });

  it("should remove a latency toxic in front of timeout 0 at once and close the connection (#159)", async () => {
    const { toxiproxy, url } = await startTestProxy(cleanup);
    const server = await startServer(cleanup);
    const port = await proxyTo(toxiproxy, server.port);
    await http(
      url,
      "POST",
      "/proxies/p/toxics",
      '{"name":"lat","type":"latency","attributes":{"latency":1000}}',
    );
    await http(
      url,
      "POST",
      "/proxies/p/toxics",
      '{"name":"hole","type":"timeout","attributes":{"timeout":0}}',
    );
    const client = await connectClient(cleanup, port);
    const upstream = await server.nextAccepted();
    for (let i = 0; i < 100; i++) upstream.socket.write(Buffer.alloc(64 * 1024, i));
    await sleep(100);
    for (const path of ["/proxies/p/toxics/lat", "/proxies/p/toxics/hole"]) {
      const t0 = performance.now();
      expect((await http(url, "DELETE", path)).status).toBe(204);
      expect(performance.now() - t0).toBeLessThan(500);
    }
    await client.waitEnded(1_000);
    expect(client.total).toBe(0);
  });
});

function toxiproxyUrl(t: Toxiproxy): string {
  return t.host;
}

/**
 * A port whose connects hang: a child process listens with backlog 1 and never accepts (its event loop is
 * blocked), and two connections fill its accept queue, so later SYNs are dropped as on a black-holed route.
 */
async function blackholedPort(cleanup: Cleanup): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const s=require("net").createServer();s.listen({port:0,host:"127.0.0.1",backlog:1},()=>{` +
        `process.stdout.write(s.address().port+"\\n");setTimeout(()=>Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,60000),50)})`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  cleanup.add(() => child.kill("SIGKILL"));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", () => reject(new Error("blackhole child exited")));
  });
  await sleep(150);
  const { connect } = await import("node:net");
  for (let i = 0; i < 2; i++) {
    const filler = connect({ port, host: "127.0.0.1" });
    filler.on("error", () => {});
    cleanup.add(() => filler.destroy());
  }
  await sleep(100);
  return port;
}
