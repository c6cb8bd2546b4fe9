import { describe, expect, it } from "vitest";
import { waitForReplicas } from "../../stores/redis-sentinel/index.js";

describe("waitForReplicas", () => {
  const socket = {};
  const leader = (acks: number | Error, stream: object = socket) =>
    ({
      status: "ready",
      stream,
      wait: (n: number, ms: number) => {
        expect([n, ms]).toEqual([2, 100]);
        return acks instanceof Error ? Promise.reject(acks) : Promise.resolve(acks);
      },
    }) as never;
  const mode = { replicas: 2, timeoutMs: 100 };

  it("should accept the write when enough followers acknowledged it", async () => {
    expect(await waitForReplicas(leader(2), mode, socket)).toBeUndefined();
  });

  it("should say how many followers acknowledged when too few did", async () => {
    expect(await waitForReplicas(leader(1), mode, socket)).toBe(
      "WAIT 2 100: 1 of 2 followers acknowledged the write in time; it is applied on the leader but may be lost",
    );
  });

  it("should not WAIT on a different connection than the write's, nor treat WAIT's errors as failures", async () => {
    expect(await waitForReplicas(leader(2, {}), mode, socket)).toMatch(/not sent: the connection closed/);
    expect(await waitForReplicas(leader(new Error("Connection is closed.")), mode, socket)).toBe(
      "WAIT 2 100 after the write failed (Connection is closed.); the write may or may not survive",
    );
  });
});
