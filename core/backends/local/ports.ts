import { randomInt } from "node:crypto";
import { createServer, type Server } from "node:net";
import { InputError } from "../../errors/index.js";

/** Where {@link allocatePorts} looks: inclusive bounds. */
export interface PortRange {
  from: number;
  to: number;
}

/** 20000–32767: below Linux's ephemeral range (32768+), so no outgoing connection's source port takes one. */
const DEFAULT_RANGE: PortRange = { from: 20000, to: 32767 };

/**
 * Picks `count` distinct free TCP ports on `host`. Ports are drawn at random from `range` (default 20000–32767,
 * below Linux's ephemeral range (32768+), so an outgoing connection's source port cannot take one between the check
 * and the moment the store binds it); each is checked by binding it, and all are held until every one is found.
 * When they cannot be found (the range is full, or `host` is no interface of this machine) it throws an
 * {@link InputError} (`NO_FREE_PORTS`, `NO_SUCH_INTERFACE`: exit 254) saying how many it found and what to do —
 * the machine's state, not a bug of faultline.
 *
 * @example
 * const [a, b] = await allocatePorts(2);
 */
export async function allocatePorts(
  count: number,
  host = "127.0.0.1",
  range: PortRange = DEFAULT_RANGE,
): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  const size = range.to - range.from + 1;
  // Random draws find a free port quickly while most are free; past this many, the range is (nearly) full.
  const maxAttempts = count * 50;
  try {
    let attempts = 0;
    while (ports.length < count) {
      if (++attempts > maxAttempts || size - ports.length <= 0) {
        throw new InputError(
          "NO_FREE_PORTS",
          `could not find ${count} free TCP ports on ${host} in ${range.from}-${range.to}: found ${ports.length} in ${attempts - 1} tries, the others were in use`,
          {
            details: { host, count, found: ports.length, range },
            hint:
              "free ports in that range (`ss -ltn` lists who holds them), or remove what killed runs left behind " +
              "with `faultline cleanup`, then run again",
          },
        );
      }
      const port = randomInt(range.from, range.to + 1);
      if (ports.includes(port)) continue;
      const server = await tryListen(port, host);
      if (server) {
        held.push(server);
        ports.push(port);
      }
    }
    return ports;
  } finally {
    await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/** The listening server, or `undefined` when the port is taken; no such interface is thrown at once. */
function tryListen(port: number, host: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND") {
        reject(
          new InputError(
            "NO_SUCH_INTERFACE",
            `cannot listen on ${host}: no such interface on this machine (${err.code})`,
            {
              details: { host, port },
            },
          ),
        );
      } else resolve(undefined);
    });
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}
