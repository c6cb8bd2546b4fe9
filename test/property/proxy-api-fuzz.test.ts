/**
 * Throws random methods, paths and bodies at the proxy's API: it must never crash, never hang (each request is
 * answered within a bound), and always answer one of the status codes its routes use.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxyServer, type StartedProxyServer } from "../../nemesis/proxy/index.js";

const ANSWER_WITHIN_MS = 3_000;
const VALID_STATUS = new Set([200, 201, 204, 301, 400, 403, 404, 405, 409, 500]);

let server: StartedProxyServer;
beforeAll(async () => {
  server = await startProxyServer({ port: 0 });
  // A proxy and a toxic for the random requests to hit.
  await fetch(`${server.url}/proxies`, {
    method: "POST",
    body: '{"name":"p","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"}',
  });
  await fetch(`${server.url}/proxies/p/toxics`, { method: "POST", body: '{"name":"t","type":"latency"}' });
});
afterAll(async () => {
  await server.stop();
});

const name = fc.oneof(
  fc.constantFrom("p", "t", "q", "latency_downstream", "%2F", "a%20b", "%zz", "..", "."),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const path = fc.oneof(
  fc.constantFrom("/proxies", "/populate", "/reset", "/version", "/faultline/sources", "/faultline/toxics"),
  fc.constantFrom(
    "/faultline/connections",
    "/faultline/events?since=1&wait=5",
    "/faultline/events?wait=x",
    "/",
    "//x",
  ),
  name.map((n) => `/proxies/${n}`),
  name.map((n) => `/proxies/${n}/toxics`),
  fc.tuple(name, name).map(([a, b]) => `/proxies/${a}/toxics/${b}`),
  name.map((n) => `/faultline/toxics/${n}`),
  name.map((n) => `/faultline/proxies/${n}/link`),
  fc.webPath(),
);
// Listen addresses stay on loopback, or are malformed before any name lookup.
const listen = fc.constantFrom(
  "127.0.0.1:0",
  "localhost:0",
  "[::1]:0",
  "127.0.0.1:99999",
  "nocolon",
  "127.0.0.1:x",
);
const scalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const toxicBody = fc.record(
  {
    name: fc.oneof(name, scalar),
    type: fc.oneof(
      fc.constantFrom(
        "latency",
        "bandwidth",
        "slow_close",
        "timeout",
        "reset_peer",
        "slicer",
        "limit_data",
        "noop",
      ),
      fc.constantFrom("blackhole", "refuse", "down", ""),
      scalar,
    ),
    stream: fc.oneof(fc.constantFrom("upstream", "downstream", "UPSTREAM", "sideways"), scalar),
    toxicity: fc.oneof(fc.double({ min: -1, max: 2, noNaN: true }), scalar),
    attributes: fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          "latency",
          "jitter",
          "rate",
          "delay",
          "timeout",
          "average_size",
          "size_variation",
          "bytes",
        ),
        fc.oneof(fc.integer({ min: -5, max: 5_000 }), scalar),
      ),
      scalar,
    ),
    source: fc.oneof(fc.constantFrom("*", "r1", ""), scalar),
    destination: fc.oneof(fc.constantFrom("*", "p", ""), scalar),
  },
  { requiredKeys: [] },
);
const proxyBody = fc.record(
  {
    name: fc.oneof(name, scalar),
    listen,
    upstream: fc.oneof(fc.constant("127.0.0.1:1"), scalar),
    enabled: scalar,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 40 }),
  fc.json({ maxDepth: 3 }),
  toxicBody.map((b) => JSON.stringify(b)),
  proxyBody.map((b) => JSON.stringify(b)),
  fc.array(proxyBody, { maxLength: 3 }).map((b) => JSON.stringify(b)),
  fc
    .dictionary(fc.ipV4(), fc.oneof(fc.string({ maxLength: 5 }), fc.constant(null)))
    .map((s) => JSON.stringify({ sources: s })),
  fc.json({ maxDepth: 2 }).map((j) => j.slice(0, Math.max(0, j.length - 2))), // truncated JSON
);
const request = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
  path,
  body,
  browser: fc.boolean().map((b) => (b ? "Mozilla/5.0" : "fuzz")),
});

describe("proxy API", () => {
  it("should answer every random request within its bound with a valid status and keep serving", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 4 }), async (requests) => {
        for (const r of requests) {
          const t0 = performance.now();
          const res = await fetch(server.url + r.path, {
            method: r.method,
            redirect: "manual",
            headers: { "User-Agent": r.browser },
            signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
            ...(r.body === undefined || r.method === "GET" || r.method === "HEAD" ? {} : { body: r.body }),
          });
          const text = await res.text();
          expect(performance.now() - t0).toBeLessThan(ANSWER_WITHIN_MS);
          expect(VALID_STATUS.has(res.status), `${r.method} ${r.path} → ${res.status}`).toBe(true);
          if (res.status >= 400 && text.startsWith("{")) {
            // Every API error is Toxiproxy's {"error": "...", "status": N}, with the response's own status.
            const parsed = JSON.parse(text) as { error?: unknown; status?: unknown };
            expect(typeof parsed.error).toBe("string");
            expect(parsed.status).toBe(res.status);
          }
        }
        const version = await fetch(`${server.url}/version`, {
          signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
        });
        expect(version.status).toBe(200);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
