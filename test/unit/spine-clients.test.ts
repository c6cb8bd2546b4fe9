import { describe, expect, it } from "vitest";
import {
  noopClient,
  validatingClient,
  withTimeout,
  ClientContractError,
  type Client,
} from "../../core/clients/index.js";
import type { NodeInfo } from "../../core/cluster/index.js";
import { classifyRedisError, redisClientOptions } from "../../stores/redis-sentinel/index.js";

describe("classifyRedisError", () => {
  it.each([
    ["Stream isn't writeable and enableOfflineQueue options is false", "fail"],
    ["READONLY You can't write against a read only replica.", "fail"],
    ["NOREPLICAS Not enough good replicas to write.", "fail"],
    ["MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", "fail"],
    ["LOADING Redis is loading the dataset in memory", "fail"],
    ["OOM command not allowed when used memory > 'maxmemory'.", "fail"],
    ["ERR unknown command 'FOO'", "fail"],
    [
      'Reached the max retries per request limit (which is 0). Refer to "maxRetriesPerRequest" option for details.',
      "info",
    ],
    ["Command timed out", "info"],
    ["Connection is closed.", "info"],
    ["Command aborted due to connection close", "info"],
    ["Socket timeout. Expecting data, but didn't receive any in 1000ms.", "info"],
    ["something nobody has seen before", "info"],
  ])("should classify %j as %s", (message, type) => {
    expect(classifyRedisError(new Error(message))).toEqual({ type, error: message });
  });

  it("should keep only the first line of a long error", () => {
    expect(classifyRedisError(new Error("Command timed out\n    at x")).error).toBe("Command timed out");
  });
});

describe("withTimeout", () => {
  it("should complete as info, never fail, when the inner client does not answer in time", async () => {
    const hanging: Client = { ...noopClient(), invoke: () => new Promise(() => undefined) };
    const c = await withTimeout(hanging, 20).invoke({ f: "add", value: 1 });
    expect(c.type).toBe("info");
    expect(c.error).toMatch(/timeout: no answer within 20 ms/);
  });

  it("should pass a timely completion through unchanged", async () => {
    expect(await withTimeout(noopClient(), 1000).invoke({ f: "add", value: 3 })).toEqual({
      type: "ok",
      value: 3,
    });
  });

  it("should turn a throwing client into info", async () => {
    const throwing: Client = { ...noopClient(), invoke: () => Promise.reject(new Error("boom")) };
    expect(await withTimeout(throwing, 1000).invoke({ f: "add", value: 1 })).toEqual({
      type: "info",
      error: "client threw: boom",
    });
  });
});

describe("validatingClient", () => {
  it("should refuse invoke before open and after close", async () => {
    const c = validatingClient(noopClient());
    await expect(c.invoke({ f: "add", value: 1 })).rejects.toBeInstanceOf(ClientContractError);
    await c.open();
    await c.invoke({ f: "add", value: 1 });
    await c.close();
    await expect(c.invoke({ f: "add", value: 1 })).rejects.toThrow(/closed client/);
  });

  it("should refuse two ops in flight and completions without an error", async () => {
    let release: () => void = () => undefined;
    const slow: Client = {
      ...noopClient(),
      invoke: () => new Promise((r) => (release = () => r({ type: "info" }))),
    };
    const c = validatingClient(slow);
    await c.open();
    const first = c.invoke({ f: "add", value: 1 });
    await expect(c.invoke({ f: "add", value: 2 })).rejects.toThrow(/in flight/);
    release();
    await expect(first).rejects.toThrow(/needs an error/);
  });
});

describe("redisClientOptions", () => {
  // n1, n2 and s1, s2 announce public (proxy) ports 2730x / 2731x; client c2 has its own listener per node.
  const node = (name: string, role: NodeInfo["role"], publicPort: number): NodeInfo => ({
    name,
    role,
    admin: { host: "127.0.0.1", port: publicPort - 100 },
    public: { host: "127.0.0.1", port: publicPort },
    sourceAddress: "127.0.1.1",
    dir: `/tmp/${name}`,
  });
  const nodes = [
    node("n1", "data", 27301),
    node("n2", "data", 27302),
    node("s1", "failover-manager", 27311),
    node("s2", "failover-manager", 27312),
  ];
  const listener = { n1: 28201, n2: 28202, s1: 28211, s2: 28212 } as const;
  const endpoints = new Map(
    Object.entries(listener).map(([n, port]) => [n, { host: "127.0.0.1", port }] as const),
  );
  const options = redisClientOptions(
    { masterName: "faultline", nodes, endpoints: { name: "c2", endpoints } },
    900,
  );

  it("should find the leader through the client's own Sentinel listeners, as the spec's §2.6 recipe does", () => {
    expect(options.name).toBe("faultline");
    expect(options.connectionName).toBe("c2");
    expect(options.sentinels).toEqual([
      { host: "127.0.0.1", port: listener.s1 },
      { host: "127.0.0.1", port: listener.s2 },
    ]);
  });

  it("should map every announced public address to the client's listener for that node, and nothing else", () => {
    const natMap = options.natMap as (key: string) => { host: string; port: number } | null;
    for (const n of nodes) {
      expect(natMap(`127.0.0.1:${n.public.port}`), n.name).toEqual({
        host: "127.0.0.1",
        port: listener[n.name as keyof typeof listener],
      });
    }
    // A real (unproxied) port, or an address nobody announced, is not rewritten.
    expect(natMap(`127.0.0.1:${nodes[0]!.admin.port}`)).toBeNull();
    expect(natMap("10.0.0.1:27301")).toBeNull();
  });

  it("should set the spec's §4.2 options: no offline queue, no retries or resends, timeouts everywhere", () => {
    expect(options).toMatchObject({
      connectTimeout: 500,
      sentinelCommandTimeout: 500,
      commandTimeout: 900,
      socketTimeout: 1000,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
    });
    expect(options.enableAutoPipelining ?? false).toBe(false);
    expect(options.enableReadyCheck ?? true).toBe(true);
    expect((options.retryStrategy as (n: number) => number)(7)).toBe(100);
    expect((options.sentinelRetryStrategy as (n: number) => number)(7)).toBe(100);
    const reconnect = options.reconnectOnError as (e: Error) => unknown;
    expect(reconnect(new Error("READONLY You can't write against a read only replica."))).toBe(1);
    expect(reconnect(new Error("NOREPLICAS Not enough good replicas to write."))).toBeFalsy();
  });
});
