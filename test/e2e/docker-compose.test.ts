import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { pollUntil } from "../../core/clock/index.js";
import { DOCKER, SKIP_NOTE, useDockerImages } from "./support/docker-helpers.js";
import { ROOT } from "./support/spine-helpers.js";

/** `docker compose` (the plugin) or Debian's `docker-compose`, whichever is installed. */
function compose(args: string[], env: Record<string, string> = {}): { status: number | null; out: string } {
  const options = { cwd: ROOT, encoding: "utf8" as const, env: { ...process.env, ...env }, timeout: 120_000 };
  const plugin = spawnSync("docker", ["compose", "version"], options);
  const [cmd, pre] = plugin.status === 0 ? ["docker", ["compose"]] : ["docker-compose", []];
  const r = spawnSync(cmd, [...pre, "-p", "faultline-e2e", ...args], options);
  if (r.error)
    throw new Error(
      `neither docker compose nor docker-compose runs (${r.error.message}); CI installs docker-compose`,
    );
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const LOCAL = {
  FAULTLINE_REDIS_IMAGE: "faultline-local/redis:7",
  FAULTLINE_PROXY_IMAGE: "faultline-local/proxy:latest",
  FAULTLINE_PROXY_ARGS: "--host 0.0.0.0 --port 8474 --config /config/proxies.json",
};

useDockerImages();

describe.skipIf(!DOCKER.ok)(`docker-compose.yml${SKIP_NOTE}`, () => {
  it("should validate with the compose tool, with the official images and with the local ones", () => {
    const official = compose(["config", "-q"]);
    expect(official.status, official.out).toBe(0);
    const local = compose(["config"], LOCAL);
    expect(local.status, local.out).toBe(0);
    expect(local.out).toContain("faultline-local/proxy:latest");
  });

  it("should come up as a cluster whose Sentinels see the leader and its followers through the proxy", async () => {
    try {
      const up = compose(["up", "-d"], LOCAL);
      expect(up.status, up.out).toBe(0);
      // c1's listener for s1 is published on 127.0.0.1:10003.
      const s1 = new Redis({
        port: 10003,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 200,
      });
      s1.on("error", () => undefined);
      try {
        const { value, lastError } = await pollUntil(
          async () => {
            const replicas = (await s1.call("SENTINEL", "replicas", "faultline")) as string[][];
            const peers = (await s1.call("SENTINEL", "sentinels", "faultline")) as string[][];
            return replicas.length === 2 && peers.length === 2 ? { replicas, peers } : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 250 },
        );
        expect(value, String(lastError)).toBeDefined();
        expect(await s1.call("SENTINEL", "get-master-addr-by-name", "faultline")).toEqual([
          "10.213.255.2",
          "7001",
        ]);
        // Every address Sentinel learned is the proxy's: followers and peers announce their public ports.
        const addr = (rec: string[]): string =>
          `${rec[rec.indexOf("ip") + 1]}:${rec[rec.indexOf("port") + 1]}`;
        expect(value!.replicas.map(addr).sort()).toEqual(["10.213.255.2:7002", "10.213.255.2:7003"]);
        expect(value!.peers.map(addr).sort()).toEqual(["10.213.255.2:7005", "10.213.255.2:7006"]);
      } finally {
        s1.disconnect();
      }
    } finally {
      const down = compose(["down", "-v", "--remove-orphans"], LOCAL);
      expect(down.status, down.out).toBe(0);
    }
    const left = spawnSync(
      "docker",
      ["ps", "-aq", "--filter", "label=com.docker.compose.project=faultline-e2e"],
      {
        encoding: "utf8",
      },
    );
    expect(left.stdout.trim()).toBe("");
  });
});
