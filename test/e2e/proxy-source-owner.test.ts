/**
 * The socket-owner source resolver with real processes and real TCP: every client connects from 127.0.0.1
 * to the same proxy listener, so the proxy can tell them apart only by the process holding the other end and
 * the `FAULTLINE_NODE` of it or its nearest ancestor. A cut on one node's link must hold only that node's
 * bytes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FaultlineProxyClient } from "../../nemesis/proxy-client/index.js";
import type { ConnectionOpenedJson, ProxyEvent } from "../../nemesis/proxy/index.js";
import {
  Cleanup,
  portOf,
  sleep,
  startServer,
  startTestProxy,
  type Collector,
} from "../unit/proxy-test-helpers.js";

let cleanup: Cleanup;
beforeEach(() => {
  cleanup = new Cleanup();
});
afterEach(async () => {
  await cleanup.run();
});

const RUN_ID = `test/proxy-source-owner/${process.pid}`;

/** Node client: connects to argv[1], prints "connected", sends each stdin line, prints what comes back. */
const NODE_CLIENT = `
const s = require("node:net").connect({ host: "127.0.0.1", port: Number(process.argv[1]) });
s.on("connect", () => process.stdout.write("connected\\n"));
s.on("data", (d) => process.stdout.write(d));
s.on("error", (e) => { process.stderr.write(String(e)); process.exit(3); });
process.stdin.on("data", (d) => s.write(d));
process.stdin.on("end", () => s.end());
`;

/** The same in Python (another runtime, its own socket code). */
const PYTHON_CLIENT = `
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("connected", flush=True)
while True:
    line = sys.stdin.readline()
    if not line:
        break
    s.sendall(line.encode())
s.close()
`;

/** A client process: what it printed, and a way to send it lines. */
interface ClientProcess {
  child: ChildProcess;
  out: string;
  send(line: string): void;
}

/** The harness's environment without any faultline tag, plus `env`. */
function envWith(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("FAULTLINE_")));
  return { ...base, ...env };
}

/** Spawns a client (its own process group, killed whole at cleanup) and waits until it has connected. */
async function client(command: string, args: string[], env: Record<string, string>): Promise<ClientProcess> {
  const child = spawn(command, args, {
    env: envWith(env),
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  cleanup.add(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  });
  const proc: ClientProcess = { child, out: "", send: (line) => child.stdin!.write(`${line}\n`) };
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (proc.out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!proc.out.includes("connected")) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${command} client did not connect (exit ${child.exitCode}): ${err}`);
    await sleep(20);
  }
  return proc;
}

/** The `connection.opened` events recorded so far. */
function opened(events: readonly ProxyEvent[]): ConnectionOpenedJson[] {
  return events.filter((e) => e.kind === "connection.opened").map((e) => e.connection!);
}

async function until(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("socket-owner source resolver", () => {
  it("should tell same-address clients apart by their process's node and cut only one node's link", async () => {
    const { toxiproxy, url, server } = await startTestProxy(cleanup);
    const fl = new FaultlineProxyClient(url, { timeoutMs: 5_000 });
    const upstream = await startServer(cleanup, { echo: true });
    const proxy = await toxiproxy.createProxy({
      name: "up",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${upstream.port}`,
    });
    const port = String(portOf(proxy.listen));
    // A generous bound: this test is about who is named, not how fast, on a shared loaded machine.
    expect(await fl.setSourceResolver({ mode: "owner", runId: RUN_ID, timeoutMs: 5_000 })).toEqual({
      mode: "owner",
      runId: RUN_ID,
      envKey: "FAULTLINE_NODE",
      timeoutMs: 5_000,
    });
    const run = { FAULTLINE_RUN_ID: RUN_ID };

    // a: the tagged process itself holds the socket.
    const a = await client(process.execPath, ["-e", NODE_CLIENT, port], { ...run, FAULTLINE_NODE: "a" });
    // b: a grandchild whose own environment lost both tags (as PostgreSQL's walreceiver overwrites its own);
    // only its parent shell names the node. `; true` keeps the shell alive as its parent.
    const b = await client(
      "sh",
      [
        "-c",
        'env -u FAULTLINE_NODE -u FAULTLINE_RUN_ID "$0" -e "$1" "$2"; true',
        process.execPath,
        NODE_CLIENT,
        port,
      ],
      { ...run, FAULTLINE_NODE: "b" },
    );
    // c: another runtime (through pyenv's shell shim when there is one).
    const c = await client("python3", ["-c", PYTHON_CLIENT, port], { ...run, FAULTLINE_NODE: "c" });
    // No node in its environment or its ancestors' (the test process has none): unknown.
    const u = await client(process.execPath, ["-e", NODE_CLIENT, port], { ...run });
    // Names a node, but of another run: unknown too.
    const o = await client(process.execPath, ["-e", NODE_CLIENT, port], {
      FAULTLINE_RUN_ID: "another-run",
      FAULTLINE_NODE: "a",
    });

    await until("five connection.opened events", () => opened(server.pastEvents()).length === 5);
    const events = opened(server.pastEvents());
    console.log(
      "owner lookups (ms):",
      events.map((e) => `${e.source}:${e.ms}`).join(" "),
      "load average:",
      (await import("node:os"))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" "),
    );
    const byPid = new Map<number | undefined, ConnectionOpenedJson>(events.map((e) => [e.pid, e]));
    expect(byPid.get(a.child.pid)).toMatchObject({ source: "a", sourceBy: "owner", nodePid: a.child.pid });
    // b's socket is held by the shell's child; the node comes from the shell (b.child).
    const bEvent = events.find((e) => e.source === "b");
    expect(bEvent).toMatchObject({ sourceBy: "owner", nodePid: b.child.pid });
    expect(bEvent!.pid).not.toBe(b.child.pid);
    expect(events.find((e) => e.source === "c")).toMatchObject({ sourceBy: "owner" });
    const unknown = events.filter((e) => e.source === "unknown");
    expect(unknown).toHaveLength(2);
    for (const e of unknown) expect(e).toMatchObject({ sourceBy: "unknown", reason: "no-owner" });
    expect(events.map((e) => e.source).sort()).toEqual(["a", "b", "c", "unknown", "unknown"]);
    expect((await fl.listConnections()).map((x) => x.source).sort()).toEqual([
      "a",
      "b",
      "c",
      "unknown",
      "unknown",
    ]);

    // Every client reaches the upstream through the proxy.
    for (const [name, p] of [
      ["a", a],
      ["b", b],
      ["c", c],
      ["u", u],
      ["o", o],
    ] as const)
      p.send(`hello-${name}`);
    await until(
      "five upstream connections with data",
      () => upstream.accepted.filter((s) => s.total > 0).length === 5,
    );
    const upstreamOf = (name: string): Collector =>
      upstream.accepted.find((s) => s.data.toString().startsWith(`hello-${name}\n`))!;
    for (const name of ["a", "b", "c", "u", "o"]) expect(upstreamOf(name)).toBeDefined();

    // Cut a → up: a's bytes are held; every other client's keep flowing.
    await fl.addLinkToxic({
      name: "cut-a",
      type: "blackhole",
      stream: "upstream",
      source: "a",
      destination: "up",
    });
    for (const [name, p] of [
      ["a", a],
      ["b", b],
      ["c", c],
      ["u", u],
      ["o", o],
    ] as const)
      p.send(`cut-${name}`);
    for (const name of ["b", "c", "u", "o"]) {
      await upstreamOf(name).until(() => upstreamOf(name).data.toString().includes(`cut-${name}\n`), 5_000);
    }
    await until("b's echo", () => b.out.includes("cut-b"));
    await sleep(300);
    expect(upstreamOf("a").data.toString()).toBe("hello-a\n");
    expect(a.out).not.toContain("cut-a");

    // Healing releases a's held bytes in order.
    await fl.removeLinkToxic("cut-a");
    await upstreamOf("a").until(() => upstreamOf("a").data.toString() === "hello-a\ncut-a\n", 5_000);
    await until("a's echo", () => a.out.includes("cut-a"));
  });

  it("should leave a client of the sources map to the map and resolve nothing when the resolver is off", async () => {
    const { toxiproxy, url, server } = await startTestProxy(cleanup);
    const fl = new FaultlineProxyClient(url, { timeoutMs: 5_000 });
    const upstream = await startServer(cleanup, { echo: true });
    const proxy = await toxiproxy.createProxy({
      name: "up",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${upstream.port}`,
    });
    const port = String(portOf(proxy.listen));
    const env = { FAULTLINE_RUN_ID: RUN_ID, FAULTLINE_NODE: "a" };
    // Off (the default): a tagged client is still unknown, and no connection.opened is recorded.
    await client(process.execPath, ["-e", NODE_CLIENT, port], env);
    await until("one connection", () => upstream.accepted.length === 1);
    expect((await fl.listConnections())[0]).toMatchObject({ source: "unknown", sourceBy: "unknown" });
    expect(opened(server.pastEvents())).toEqual([]);
    // On, with 127.0.0.1 in the sources map: the map wins and no lookup runs.
    await fl.setSources({ "127.0.0.1": "mapped" });
    await fl.setSourceResolver({ mode: "owner", runId: RUN_ID });
    await client(process.execPath, ["-e", NODE_CLIENT, port], env);
    await until("one connection.opened", () => opened(server.pastEvents()).length === 1);
    const [event] = opened(server.pastEvents());
    expect(event).toMatchObject({ source: "mapped", sourceBy: "address" });
    expect(event!.ms).toBeUndefined();
    // Off again.
    expect((await fl.setSourceResolver({ mode: "address" })).mode).toBe("address");
    expect((await fl.getSourceResolver()).mode).toBe("address");
  });
});
