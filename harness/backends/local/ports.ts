import { randomInt } from "node:crypto";
import { createServer, type Server } from "node:net";

/**
 * Picks `count` distinct free TCP ports on `host`. Ports are drawn from 20000–32767, below Linux's ephemeral
 * range (32768+), so an outgoing connection's source port cannot take one between the check and the moment the
 * store binds it; each is checked by binding it, and all are held until every one is found.
 *
 * @example
 * const [a, b] = await allocatePorts(2);
 */
export async function allocatePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    let attempts = 0;
    while (ports.length < count) {
      if (++attempts > count * 50)
        throw new Error(`could not find ${count} free ports on ${host} in 20000-32767`);
      const port = randomInt(20000, 32768);
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

function tryListen(port: number, host: string): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}
