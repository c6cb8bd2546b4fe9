import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { allocatePorts } from "../../core/backends/local/index.js";
import { ExitCode, InputError } from "../../core/errors/index.js";
import { reportError } from "../../harness/cli/index.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  vi.restoreAllMocks();
});

/** Holds a free loopback port and returns it. */
async function holdPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  servers.push(s);
  return (s.address() as { port: number }).port;
}

describe("allocatePorts", () => {
  it("should give distinct free ports below the ephemeral range when ports are free", async () => {
    const ports = await allocatePorts(6);
    expect(new Set(ports).size).toBe(6);
    for (const p of ports) expect(p >= 20000 && p <= 32767, String(p)).toBe(true);
  });

  it("should throw NO_FREE_PORTS (exit 254) saying how many it found when every port is taken", async () => {
    const taken = await holdPort();
    const err = await allocatePorts(1, "127.0.0.1", { from: taken, to: taken }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe("NO_FREE_PORTS");
    expect((err as InputError).message).toBe(
      `could not find 1 free TCP ports on 127.0.0.1 in ${taken}-${taken}: found 0 in 50 tries, the others were in use`,
    );
    expect((err as InputError).hint).toMatch(/faultline cleanup/);
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(reportError(err, false)).toBe(ExitCode.BadInput);
  });

  it("should throw NO_FREE_PORTS when the range is smaller than the count", async () => {
    const free = await holdPort();
    servers.pop()?.close();
    await expect(allocatePorts(2, "127.0.0.1", { from: free, to: free })).rejects.toMatchObject({
      code: "NO_FREE_PORTS",
      userError: true,
    });
  });
});
