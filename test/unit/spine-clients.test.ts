import { describe, expect, it } from "vitest";
import {
  classifyRedisError,
  noopClient,
  validatingClient,
  withTimeout,
  ClientContractError,
  type Client,
} from "../../harness/clients/index.js";

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
