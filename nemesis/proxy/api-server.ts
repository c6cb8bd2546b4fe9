/**
 * The HTTP side of the proxy server: routing (Toxiproxy's routes, then faultline's), Toxiproxy's middleware
 * in its order (request id → browser block → 25 s handler timeout), body reading with a cap, and replies.
 * Every request is answered: handler errors become 400/404/409/500 bodies, anything unexpected a 500, and a
 * handler still running after 25 s a 503, as Toxiproxy's `http.TimeoutHandler` does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { ApiError } from "./api-error.js";
import { API_LIMITS, bodyTooLargeMessage } from "./api-limits.js";
import { matchRoute, type Route } from "./http-router.js";
import { errorReply, send } from "./http-reply.js";
import type { ProxyRegistry } from "./proxy-registry.js";
import { faultlineRoutes } from "./routes-faultline.js";
import { standardRoutes, type Handler } from "./routes-standard.js";

/** Toxiproxy's handler timeout. */
export const HANDLER_TIMEOUT_MS = 25_000;
/** Largest request body accepted (a longer one is a 400 before it is read). */
export const MAX_BODY_BYTES = API_LIMITS.bodyBytes;

const allRoutes: readonly Route<Handler>[] = [...standardRoutes, ...faultlineRoutes];

/**
 * Creates the API's HTTP server (not yet listening). With `extensions: false` only Toxiproxy's own routes exist,
 * so every `/faultline/` request is a 404 as on a real Toxiproxy.
 */
export function createApiServer(
  registry: ProxyRegistry,
  versionBody: string,
  options: { extensions?: boolean } = {},
): Server {
  const routes = options.extensions === false ? standardRoutes : allRoutes;
  const server = createServer((req, res) => {
    handle(routes, registry, versionBody, req, res).catch(() => {
      send(res, errorReply(new ApiError(500, "internal error")));
    });
  });
  server.requestTimeout = 15_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 60_000;
  return server;
}

async function handle(
  routes: readonly Route<Handler>[],
  registry: ProxyRegistry,
  versionBody: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? "GET";
  const match = matchRoute(routes, method, req.url ?? "/");
  switch (match.kind) {
    case "bad-request":
      send(res, { status: 400, body: "400 Bad Request", contentType: "text/plain; charset=utf-8" });
      req.resume();
      return;
    case "redirect":
      res.setHeader("Location", match.location);
      send(res, { status: 301 });
      req.resume();
      return;
    case "method-not-allowed":
      send(res, { status: 405 });
      req.resume();
      return;
    case "not-found":
      send(res, { status: 404, body: "404 page not found\n", contentType: "text/plain; charset=utf-8" });
      req.resume();
      return;
    case "found":
      break;
  }
  res.setHeader("X-Toxiproxy-Request-Id", requestId());
  if ((req.headers["user-agent"] ?? "").startsWith("Mozilla/")) {
    send(res, { status: 403, body: "User agent not allowed\n", contentType: "text/plain; charset=utf-8" });
    req.resume();
    return;
  }
  const timer = setTimeout(() => send(res, { status: 503 }), HANDLER_TIMEOUT_MS);
  try {
    const body = await readBody(req);
    const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
    const reply = await match.handler({ registry, params: match.params, body, query, versionBody });
    send(res, reply);
  } catch (err) {
    send(res, errorReply(err instanceof ApiError ? err : new ApiError(500, errorText(err))));
  } finally {
    clearTimeout(timer);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readBody(req: IncomingMessage): Promise<string> {
  // A declared length over the limit is refused before a byte is read.
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    req.resume();
    throw new ApiError(400, bodyTooLargeMessage(declared));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw new ApiError(400, bodyTooLargeMessage(undefined));
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

let counter = randomBytes(3).readUIntBE(0, 3);
const machine = randomBytes(5);

/** A 20-character, time-ordered request id in xid's alphabet (base32hex, lowercase), as Toxiproxy sends. */
export function requestId(): string {
  const raw = Buffer.alloc(12);
  raw.writeUInt32BE(Math.floor(Date.now() / 1000), 0);
  machine.copy(raw, 4);
  counter = (counter + 1) & 0xffffff;
  raw.writeUIntBE(counter, 9, 3);
  const alphabet = "0123456789abcdefghijklmnopqrstuv";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of raw) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}
