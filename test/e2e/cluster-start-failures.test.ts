/**
 * Start failures of the local backend (issue 15, problem 7): a node that exits during start is reported at once
 * with its exit and the last lines of its log, instead of a 30 s wait for PING; a port taken between allocation and
 * bind (the port race) is retried with fresh ports, saying so.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { allocatePorts, runTagForThisProcess } from "../../core/backends/local/index.js";
import { isFaultlineError } from "../../core/errors/index.js";
import { localNodeBackend, redisSentinelCluster } from "../../stores/redis-sentinel/index.js";
import { expectNothingOfRun, STORE } from "./support/nemesis-helpers.js";
import { ensureBuilt } from "./support/spine-helpers.js";

beforeAll(() => ensureBuilt(), 120_000);

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `faultline-e2e-${label}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => s.destroy());
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(server));
  });
}

describe("redisSentinelCluster start on the local backend", () => {
  it("should fail at once, with the node's exit code and the last lines of its log, when a node exits during start", async () => {
    const dir = tempDir("exit-at-start");
    // A "redis-server" that writes a line and exits with code 3 at once.
    const fake = join(dir, "fake-redis-server");
    writeFileSync(fake, '#!/bin/sh\necho "fake server: cannot start, config $1 refused" >&2\nexit 3\n');
    chmodSync(fake, 0o755);
    const runId = `e2e-exit-at-start/${process.pid}/${Date.now()}`;
    const err = await redisSentinelCluster({
      runDir: join(dir, "run"),
      tag: runTagForThisProcess(runId, join(dir, "run")),
      store: STORE,
      clients: ["c1"],
      network: "proxy",
      startTimeoutMs: 60_000,
      backend: localNodeBackend({ redisServer: fake }),
    })
      .start()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isFaultlineError(err), String(err)).toBe(true);
    const message = (err as Error).message;
    expect(message).toMatch(/^n\d exited with code 3 while starting; the last lines of its logs:\n/);
    expect(message).toMatch(/fake server: cannot start, config .*redis\.conf refused/);
    // Not the PING wait (before the fix: "n2 did not answer PING within 29899 ms: n2 exited").
    expect(message).not.toContain("did not answer PING");
    expect((err as { details: Record<string, unknown> }).details.portInUse).toBe(false);
    await expectNothingOfRun(runId);
  });

  it("should start again with fresh ports, and say so, when another process takes a node's port before it binds", async () => {
    const dir = tempDir("port-race");
    const runId = `e2e-port-race/${process.pid}/${Date.now()}`;
    const said: string[] = [];
    const stolen: number[] = [];
    // The first allocation loses the race: right after the ports are chosen (and released), another listener
    // takes n2's real port (the second one), as another program on the machine could.
    const allocate = async (count: number): Promise<number[]> => {
      const ports = await allocatePorts(count);
      if (stolen.length === 0) {
        const thief = await listen(ports[1]!);
        cleanups.push(() => new Promise<void>((r) => thief.close(() => r())));
        stolen.push(ports[1]!);
      }
      return ports;
    };
    const cluster = await redisSentinelCluster({
      runDir: join(dir, "run"),
      tag: runTagForThisProcess(runId, join(dir, "run")),
      store: STORE,
      clients: ["c1"],
      network: "proxy",
      backend: localNodeBackend({ allocatePorts: allocate }),
      say: (t) => said.push(t),
    }).start();
    try {
      expect(stolen).toHaveLength(1);
      expect(said).toHaveLength(1);
      expect(said[0]).toBe(
        "start attempt 1 of 3 lost a port race (n2's port was taken by another process before n2 bound it); " +
          "starting again with fresh ports",
      );
      const n2 = cluster.nodes.find((n) => n.name === "n2")!;
      expect(n2.admin.port).not.toBe(stolen[0]);
      expect(await cluster.leader()).toBe("n1");
    } finally {
      await cluster.stop();
    }
    await expectNothingOfRun(runId);
  });

  it("should give up after the last attempt when every start loses the port race", async () => {
    const dir = tempDir("port-race-lost");
    const runId = `e2e-port-race-lost/${process.pid}/${Date.now()}`;
    const said: string[] = [];
    const allocate = async (count: number): Promise<number[]> => {
      const ports = await allocatePorts(count);
      const thief = await listen(ports[0]!);
      cleanups.push(() => new Promise<void>((r) => thief.close(() => r())));
      return ports;
    };
    const err = await redisSentinelCluster({
      runDir: join(dir, "run"),
      tag: runTagForThisProcess(runId, join(dir, "run")),
      store: STORE,
      clients: ["c1"],
      network: "proxy",
      backend: localNodeBackend({ allocatePorts: allocate }),
      say: (t) => said.push(t),
      portRaceAttempts: 2,
    })
      .start()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(said).toHaveLength(1);
    expect((err as Error).message).toMatch(/^n1 exited with code 1 while starting \(its port was taken/);
    expect((err as Error).message).toMatch(/Address already in use/);
    await expectNothingOfRun(runId);
  });
});
