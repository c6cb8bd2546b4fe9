/**
 * `npm run bench -- proxy`: redis-benchmark against a redis-server started here, side by side and interleaved:
 * direct, through a bare Node `socket.pipe` proxy (its own process), and through faultline's proxy with no toxic
 * (`faultline proxy`, its own process). Also a 50 ms latency toxic's measured p50, and memory per idle
 * connection in each proxy process.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Toxiproxy } from "toxiproxy-node-client";
import type { BenchContext } from "./run.js";

export const description =
  "redis-benchmark (SET, GET; -c 50 and -c 1) direct, through a bare Node socket.pipe proxy and through faultline's " +
  "proxy with no toxics, each proxy in its own process; a 50 ms latency toxic's p50; RSS per idle connection. " +
  "Targets: ≥ 0.9× the bare pipe's throughput, ≤ 0.1 ms added p50 at -c 1, latency toxic 50 ± 2 ms.";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ROUNDS = Number(process.env.PROXY_BENCH_ROUNDS ?? 11);
const IDLE_CONNECTIONS = 2_000;

type Path = "direct" | "bare pipe" | "faultline";
interface Sample {
  rps: number;
  p50: number;
}

export async function run(ctx: BenchContext): Promise<void> {
  const children: ChildProcess[] = [];
  try {
    const redisPort = await freePort();
    children.push(
      spawn(
        "redis-server",
        ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        {
          stdio: "ignore",
        },
      ),
    );
    await waitForPort(redisPort);

    const bare = spawn(process.execPath, ["-e", BARE_PIPE, String(redisPort)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(bare);
    const barePort = Number(await firstLine(bare));

    const fl = spawn(process.execPath, [join(root, "bin", "faultline.js"), "proxy", "--port", "0"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(fl);
    const { url } = JSON.parse(await firstLine(fl)) as { url: string };
    const toxiproxy = new Toxiproxy(url);
    const proxy = await toxiproxy.createProxy({
      name: "redis",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${redisPort}`,
    });
    const flPort = Number(proxy.listen.split(":")[1]);
    const ports: Record<Path, number> = { direct: redisPort, "bare pipe": barePort, faultline: flPort };

    // Throughput and latency, interleaved round by round so load from elsewhere hits every path alike.
    const cases = [
      { test: "set", clients: 50, requests: 50_000 },
      { test: "get", clients: 50, requests: 50_000 },
      { test: "set", clients: 1, requests: 10_000 },
      { test: "get", clients: 1, requests: 10_000 },
    ];
    // The order of the three paths rotates every round, so drift in the machine's load favours none of them.
    const samples = new Map<string, Sample[]>();
    const paths = Object.keys(ports) as Path[];
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) {
        for (let k = 0; k < paths.length; k++) {
          const path = paths[(k + round) % paths.length]!;
          const s = await redisBenchmark(ports[path], c.test, c.clients, c.requests);
          const key = `${c.test}|${c.clients}|${path}`;
          samples.set(key, [...(samples.get(key) ?? []), s]);
        }
      }
    }
    const med = (key: string): Sample => ({
      rps: median(samples.get(key)!.map((s) => s.rps)),
      p50: median(samples.get(key)!.map((s) => s.p50)),
    });
    /** Median over rounds of a per-round ratio (both sides measured back to back in the same round). */
    const ratioMedian = (a: string, b: string): number => {
      const xs = samples.get(a)!;
      const ys = samples.get(b)!;
      return median(xs.map((x, i) => x.rps / ys[i]!.rps));
    };
    const rows: (string | number)[][] = [];
    const misses: string[] = [];
    for (const c of cases) {
      const key = (path: Path): string => `${c.test}|${c.clients}|${path}`;
      const d = med(key("direct"));
      const b = med(key("bare pipe"));
      const f = med(key("faultline"));
      const ratio = ratioMedian(key("faultline"), key("bare pipe"));
      const added = f.p50 - d.p50;
      rows.push([
        c.test.toUpperCase(),
        c.clients,
        fmt(d.rps, 0),
        fmt(b.rps, 0),
        fmt(f.rps, 0),
        fmt(ratio, 2),
        fmt(ratioMedian(key("faultline"), key("direct")), 2),
        `${fmt(d.p50, 3)} / ${fmt(b.p50, 3)} / ${fmt(f.p50, 3)}`,
        c.clients === 1 ? `${fmt(added, 3)} (vs bare ${fmt(f.p50 - b.p50, 3)})` : "–",
      ]);
      if (ratio < 0.9)
        misses.push(`${c.test.toUpperCase()} -c ${c.clients}: ${fmt(ratio, 2)}× bare pipe (< 0.9)`);
      if (c.clients === 1 && added > 0.1)
        misses.push(`${c.test.toUpperCase()} -c 1: +${fmt(added, 3)} ms p50 (> 0.1)`);
    }
    ctx.table(
      `redis-benchmark, medians of ${ROUNDS} interleaved rounds (ratios: median of the per-round ratios)`,
      [
        "test",
        "-c",
        "direct rps",
        "bare pipe rps",
        "faultline rps",
        "faultline / bare",
        "faultline / direct",
        "p50 ms direct / bare / faultline",
        "added p50 ms (vs direct)",
      ],
      rows,
    );

    // A 50 ms latency toxic on responses.
    const toxic = await proxy.addToxic({
      name: "lat50",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 50, jitter: 0 },
    });
    const lat = await redisBenchmark(flPort, "get", 1, 100);
    await toxic.remove();
    ctx.table(
      "50 ms latency toxic (downstream), redis-benchmark GET -c 1 -n 100",
      ["p50 ms", "target"],
      [[fmt(lat.p50, 3), "50 ± 2"]],
    );
    if (Math.abs(lat.p50 - 50) > 2) misses.push(`latency toxic p50 ${fmt(lat.p50, 3)} ms (target 50 ± 2)`);

    // Memory per idle connection, in each proxy's own process.
    const memRows: (string | number)[][] = [];
    for (const [name, child, port] of [
      ["bare pipe", bare, barePort],
      ["faultline", fl, flPort],
    ] as const) {
      const before = rssKiB(child.pid!);
      const sockets = await openIdle(port, IDLE_CONNECTIONS);
      await sleep(1_000);
      const after = rssKiB(child.pid!);
      for (const s of sockets) s.destroy();
      memRows.push([
        name,
        IDLE_CONNECTIONS,
        fmt(before / 1024, 1),
        fmt(after / 1024, 1),
        fmt(((after - before) * 1024) / IDLE_CONNECTIONS / 1024, 2),
      ]);
      await sleep(500);
    }
    ctx.table(
      `RSS per idle proxied connection (${IDLE_CONNECTIONS} client connections, each with its upstream socket)`,
      ["proxy", "connections", "RSS before MiB", "RSS after MiB", "KiB per connection"],
      memRows,
    );
    ctx.note(misses.length === 0 ? "All targets met." : `Targets missed: ${misses.join("; ")}.`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await sleep(300);
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  }
}

/** The bare proxy: accept, dial, pipe both ways. What "no toxic machinery at all" costs. */
const BARE_PIPE = `
const net = require("net");
const upstreamPort = Number(process.argv[1]);
const server = net.createServer((client) => {
  const up = net.connect(upstreamPort, "127.0.0.1");
  client.setNoDelay(true); up.setNoDelay(true);
  client.pipe(up); up.pipe(client);
  client.on("error", () => up.destroy()); up.on("error", () => client.destroy());
  client.on("close", () => up.destroy()); up.on("close", () => client.destroy());
});
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
`;

function redisBenchmark(port: number, test: string, clients: number, requests: number): Promise<Sample> {
  return new Promise((resolve, reject) => {
    execFile(
      "redis-benchmark",
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-c",
        String(clients),
        "-n",
        String(requests),
        "-t",
        test,
        "--csv",
      ],
      { timeout: 300_000 },
      (err, stdout) => {
        if (err) return reject(err);
        const line = stdout.trim().split("\n").at(-1)!;
        const cells = line.split(",").map((c) => Number(c.replace(/"/g, "")));
        resolve({ rps: cells[1]!, p50: cells[4]! });
      },
    );
  });
}

async function openIdle(port: number, n: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(100, n - i) },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect(port, "127.0.0.1", () => resolve(s));
            s.on("error", reject);
          }),
      ),
    );
    sockets.push(...batch);
  }
  return sockets;
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl !== -1) {
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolve(buf.slice(0, nl));
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before printing a line`)));
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on ${port}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function fmt(x: number, digits: number): string {
  return x.toFixed(digits);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
