/**
 * The HTTP API over raw fetch: status codes, exact error bodies and headers, JSON shapes and field order,
 * Go-style decoding, listen resolution, populate semantics, and the middleware (request id, browser block,
 * 404/405/301) — compat spec §1.
 */
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Cleanup, http, portOf, startTestProxy } from "./proxy-test-helpers.js";

let cleanup: Cleanup;
let url: string;
beforeEach(async () => {
  cleanup = new Cleanup();
  url = (await startTestProxy(cleanup)).url;
});
afterEach(async () => {
  await cleanup.run();
});

const err = (status: number, error: string): string => `${JSON.stringify({ error, status })}\n`;
const create = (body: object): Promise<{ status: number; body: string; headers: Headers }> =>
  http(url, "POST", "/proxies", JSON.stringify(body));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe("POST /proxies", () => {
  it("should answer 201 with Toxiproxy's field order, Logger:{} and no trailing newline", async () => {
    const res = await create({ name: "redis", listen: "localhost:0", upstream: "localhost:6379" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    const port = portOf(JSON.parse(res.body).listen);
    expect(res.body).toBe(
      `{"name":"redis","listen":"127.0.0.1:${port}","upstream":"localhost:6379","enabled":true,"Logger":{},"toxics":[]}`,
    );
  });

  it("should answer 400 with the exact error body when name or upstream is missing", async () => {
    const noName = await create({ listen: "127.0.0.1:0", upstream: "x:1" });
    expect(noName.status).toBe(400);
    expect(noName.body).toBe(err(400, "missing required field: name"));
    expect(noName.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(noName.headers.get("x-content-type-options")).toBe("nosniff");
    const noUpstream = await create({ name: "a", listen: "127.0.0.1:0" });
    expect(noUpstream.body).toBe(err(400, "missing required field: upstream"));
  });

  it("should answer 400 'bad request body' when the body is empty, malformed or mistyped", async () => {
    expect((await http(url, "POST", "/proxies", "")).body).toBe(err(400, "bad request body: EOF"));
    expect((await http(url, "POST", "/proxies", '{"name":')).body).toBe(
      err(400, "bad request body: unexpected EOF"),
    );
    expect((await http(url, "POST", "/proxies", "{x}")).body).toBe(
      err(400, "bad request body: invalid character 'x' looking for beginning of object key string"),
    );
    const mistyped = await create({ name: "a", upstream: "x:1", enabled: "true" });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body).toBe(
      err(
        400,
        "bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool",
      ),
    );
  });

  it("should match keys case-insensitively, ignore unknown keys and trailing bytes, and treat null as the default", async () => {
    const res = await http(
      url,
      "POST",
      "/proxies",
      '{"NAME":"ci","Listen":"127.0.0.1:0","upstream":"u:1","enabled":null,"extra":[1,2]} trailing garbage',
    );
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ name: "ci", upstream: "u:1", enabled: true });
  });

  it("should answer 409 'proxy already exists' before trying to bind", async () => {
    await create({ name: "a", listen: "127.0.0.1:0", upstream: "x:1" });
    const res = await create({ name: "a", listen: "not-an-address", upstream: "x:1" });
    expect(res.status).toBe(409);
    expect(res.body).toBe(err(409, "proxy already exists"));
  });

  it("should answer 500 with Go's bind error text when the port is taken, and store nothing", async () => {
    const first = JSON.parse((await create({ name: "a", listen: "127.0.0.1:0", upstream: "x:1" })).body);
    const res = await create({ name: "b", listen: first.listen, upstream: "x:1" });
    expect(res.status).toBe(500);
    expect(res.body).toBe(err(500, `listen tcp ${first.listen}: bind: address already in use`));
    expect((await http(url, "GET", "/proxies/b")).status).toBe(404);
  });

  it("should keep listen unresolved when created disabled, then bind that port when enabled", async () => {
    const port = await freePort();
    const res = await create({ name: "off", listen: `localhost:${port}`, upstream: "x:1", enabled: false });
    expect(JSON.parse(res.body)).toMatchObject({ listen: `localhost:${port}`, enabled: false });
    const on = await http(url, "PATCH", "/proxies/off", '{"enabled":true}');
    expect(on.status).toBe(200);
    expect(JSON.parse(on.body)).toMatchObject({ listen: `127.0.0.1:${port}`, enabled: true });
  });

  it("should render a wildcard listen as [::]:port like Go's dual-stack socket", async () => {
    const res = await create({ name: "any", listen: "0.0.0.0:0", upstream: "x:1" });
    expect(JSON.parse(res.body).listen).toMatch(/^(\[::\]|0\.0\.0\.0):\d+$/);
  });
});

describe("GET /proxies", () => {
  it("should answer {} when empty and a map sorted by name otherwise", async () => {
    expect((await http(url, "GET", "/proxies")).body).toBe("{}");
    for (const name of ["b", "a", "10", "2"]) await create({ name, listen: "127.0.0.1:0", upstream: "x:1" });
    const body = (await http(url, "GET", "/proxies")).body;
    expect(body.indexOf('"10":')).toBeLessThan(body.indexOf('"2":'));
    expect(body.indexOf('"2":')).toBeLessThan(body.indexOf('"a":'));
    expect(body.indexOf('"a":')).toBeLessThan(body.indexOf('"b":'));
  });
});

describe("POST/PATCH /proxies/{proxy}", () => {
  it("should merge a partial body, keep the port across disable/enable, and move to a new port on localhost:0", async () => {
    const created = JSON.parse((await create({ name: "p", listen: "localhost:0", upstream: "x:1" })).body);
    const off = JSON.parse((await http(url, "POST", "/proxies/p", '{"enabled":false}')).body);
    expect(off).toMatchObject({ listen: created.listen, upstream: "x:1", enabled: false });
    const on = JSON.parse((await http(url, "PATCH", "/proxies/p", '{"enabled":true,"name":"ignored"}')).body);
    expect(on).toMatchObject({ name: "p", listen: created.listen, enabled: true });
    const moved = JSON.parse((await http(url, "PATCH", "/proxies/p", '{"listen":"localhost:0"}')).body);
    expect(moved.listen).not.toBe(created.listen);
    expect(moved.enabled).toBe(true);
  });

  it("should answer 404, 400 and 500 for an unknown proxy, a bad body and an unresolvable listen", async () => {
    expect((await http(url, "PATCH", "/proxies/nope", "{}")).body).toBe(err(404, "proxy not found"));
    await create({ name: "p", listen: "127.0.0.1:0", upstream: "x:1" });
    expect((await http(url, "PATCH", "/proxies/p", '{"enabled":1}')).status).toBe(400);
    const bad = await http(url, "PATCH", "/proxies/p", '{"listen":"no-such-host.invalid:1"}');
    expect(bad.status).toBe(500);
    expect(JSON.parse(bad.body).error).toMatch(/^listen tcp: lookup no-such-host\.invalid/);
  });
});

describe("DELETE /proxies/{proxy}", () => {
  it("should answer 204 with no body, then 404 'proxy not found'", async () => {
    await create({ name: "d", listen: "127.0.0.1:0", upstream: "x:1" });
    const first = await http(url, "DELETE", "/proxies/d");
    expect(first.status).toBe(204);
    expect(first.body).toBe("");
    expect((await http(url, "DELETE", "/proxies/d")).body).toBe(err(404, "proxy not found"));
  });
});

describe("POST /populate", () => {
  it("should validate every entry first and create nothing when one lacks a name", async () => {
    const res = await http(
      url,
      "POST",
      "/populate",
      JSON.stringify([
        { name: "ok", listen: "127.0.0.1:0", upstream: "x:1" },
        { listen: "127.0.0.1:0", upstream: "x:1" },
      ]),
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: "missing required field: name at proxy 2",
      status: 400,
      proxies: [],
    });
    expect((await http(url, "GET", "/proxies")).body).toBe("{}");
  });

  it("should keep what it created before a runtime error and report it with the error", async () => {
    const taken = JSON.parse(
      (await create({ name: "t", listen: "127.0.0.1:0", upstream: "x:1" })).body,
    ).listen;
    const res = await http(
      url,
      "POST",
      "/populate",
      JSON.stringify([
        { name: "first", listen: "127.0.0.1:0", upstream: "x:1" },
        { name: "clash", listen: taken, upstream: "x:1" },
        { name: "never", listen: "127.0.0.1:0", upstream: "x:1" },
      ]),
    );
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = JSON.parse(res.body);
    expect(body.error).toBe(`listen tcp ${taken}: bind: address already in use`);
    expect(body.proxies.map((p: { name: string }) => p.name)).toEqual(["first"]);
    expect(Object.keys(JSON.parse((await http(url, "GET", "/proxies")).body)).sort()).toEqual(["first", "t"]);
  });

  it("should keep an unchanged existing proxy with its toxics and replace one that differs", async () => {
    const a = JSON.parse((await create({ name: "a", listen: "localhost:0", upstream: "x:1" })).body);
    await http(url, "POST", "/proxies/a/toxics", '{"type":"latency"}');
    await create({ name: "b", listen: "localhost:0", upstream: "x:1" });
    await http(url, "POST", "/proxies/b/toxics", '{"type":"latency"}');
    const res = await http(
      url,
      "POST",
      "/populate",
      JSON.stringify([
        { name: "a", listen: a.listen, upstream: "x:1", enabled: false },
        { name: "b", listen: "127.0.0.1:0", upstream: "y:2" },
      ]),
    );
    expect(res.status).toBe(201);
    const [pa, pb] = JSON.parse(res.body).proxies;
    expect(pa).toMatchObject({ name: "a", enabled: true, toxics: [{ name: "latency_downstream" }] });
    expect(pb).toMatchObject({ name: "b", upstream: "y:2", toxics: [] });
  });

  it('should answer {"proxies":[]} for an empty array and 400 for a non-array', async () => {
    expect(await http(url, "POST", "/populate", "[]")).toMatchObject({ status: 201, body: '{"proxies":[]}' });
    const obj = await http(url, "POST", "/populate", "{}");
    expect(obj.status).toBe(400);
    expect(JSON.parse(obj.body).error).toBe(
      "bad request body: json: cannot unmarshal object into Go value of type []toxiproxy.Proxy",
    );
  });
});

describe("toxic routes", () => {
  beforeEach(async () => {
    await create({ name: "p", listen: "127.0.0.1:0", upstream: "x:1" });
  });

  it("should answer 200 (not 201) with Toxiproxy's toxic field order and float32 toxicity", async () => {
    const res = await http(
      url,
      "POST",
      "/proxies/p/toxics",
      '{"type":"latency","stream":"upstream","toxicity":0.2,"attributes":{"latency":5}}',
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe(
      '{"attributes":{"latency":5,"jitter":0},"name":"latency_upstream","type":"latency","stream":"upstream","toxicity":0.2}',
    );
  });

  it("should list upstream toxics before downstream ones, each in insertion order", async () => {
    for (const [name, stream] of [
      ["d1", "downstream"],
      ["u1", "upstream"],
      ["d2", "downstream"],
      ["u2", "Upstream"],
    ]) {
      await http(url, "POST", "/proxies/p/toxics", JSON.stringify({ name, stream, type: "noop" }));
    }
    const list = JSON.parse((await http(url, "GET", "/proxies/p/toxics")).body) as {
      name: string;
      stream: string;
    }[];
    expect(list.map((t) => t.name)).toEqual(["u1", "u2", "d1", "d2"]);
    // "Upstream" matches case-insensitively and is stored in lower case (COMPAT.md; Toxiproxy echoes it as sent).
    expect(list.find((t) => t.name === "u2")!.stream).toBe("upstream");
    const proxy = JSON.parse((await http(url, "GET", "/proxies/p")).body);
    expect(proxy.toxics.map((t: { name: string }) => t.name)).toEqual(["u1", "u2", "d1", "d2"]);
    const named = await http(url, "POST", "/proxies/p/toxics", '{"type":"latency","stream":"UPSTREAM"}');
    expect(JSON.parse(named.body)).toMatchObject({ name: "latency_upstream", stream: "upstream" });
  });

  it("should answer 400 for a bad stream, an unknown or 'down' type, and a fractional int attribute", async () => {
    expect(
      (await http(url, "POST", "/proxies/p/toxics", '{"type":"latency","stream":"sideways"}')).body,
    ).toBe(err(400, "stream was invalid, can be either upstream or downstream"));
    expect((await http(url, "POST", "/proxies/p/toxics", '{"type":"nope"}')).body).toBe(
      err(400, "invalid toxic type"),
    );
    expect((await http(url, "POST", "/proxies/p/toxics", '{"type":"down"}')).body).toBe(
      err(400, "invalid toxic type"),
    );
    expect((await http(url, "POST", "/proxies/p/toxics", '{"type":"noop"}')).status).toBe(200);
    const frac = await http(
      url,
      "POST",
      "/proxies/p/toxics",
      '{"type":"bandwidth","attributes":{"rate":100.5}}',
    );
    expect(frac.body).toBe(
      err(
        400,
        "bad request body: json: cannot unmarshal number 100.5 into Go struct field BandwidthToxic.rate of type int64",
      ),
    );
  });

  it("should reject attributes Toxiproxy would crash on, and toxicity outside [0, 1], then keep serving", async () => {
    const bad = [
      '{"type":"slicer","attributes":{"average_size":10,"size_variation":20}}',
      '{"type":"slicer","attributes":{"average_size":0}}',
      '{"type":"bandwidth","attributes":{"rate":-1}}',
      '{"type":"latency","toxicity":1.5}',
      '{"type":"latency","toxicity":-0.1}',
    ];
    for (const body of bad) {
      const res = await http(url, "POST", "/proxies/p/toxics", body);
      expect(res.status, body).toBe(400);
      expect(Object.keys(JSON.parse(res.body))).toEqual(["error", "status"]);
    }
    expect(JSON.parse((await http(url, "GET", "/proxies/p/toxics")).body)).toEqual([]);
    expect((await http(url, "GET", "/version")).status).toBe(200);
  });

  it("should answer 404 for unknown proxies and toxics and 409 for a duplicate", async () => {
    expect((await http(url, "POST", "/proxies/q/toxics", '{"type":"noop"}')).body).toBe(
      err(404, "proxy not found"),
    );
    expect((await http(url, "GET", "/proxies/p/toxics/none")).body).toBe(err(404, "toxic not found"));
    expect((await http(url, "PATCH", "/proxies/p/toxics/none", "{}")).body).toBe(err(404, "toxic not found"));
    expect((await http(url, "DELETE", "/proxies/p/toxics/none")).body).toBe(err(404, "toxic not found"));
    await http(url, "POST", "/proxies/p/toxics", '{"type":"noop"}');
    expect((await http(url, "POST", "/proxies/p/toxics", '{"type":"noop"}')).body).toBe(
      err(409, "toxic already exists"),
    );
  });

  it("should update only attributes (merged) and toxicity, ignoring name, type and stream", async () => {
    await http(
      url,
      "POST",
      "/proxies/p/toxics",
      '{"name":"l","type":"latency","attributes":{"latency":100,"jitter":10}}',
    );
    const res = await http(
      url,
      "PATCH",
      "/proxies/p/toxics/l",
      '{"name":"other","type":"timeout","stream":"upstream","attributes":{"LATENCY":1000}}',
    );
    expect(res.body).toBe(
      '{"attributes":{"latency":1000,"jitter":10},"name":"l","type":"latency","stream":"downstream","toxicity":1}',
    );
    const bad = await http(url, "POST", "/proxies/p/toxics/l", '{"toxicity":"high"}');
    expect(bad.status).toBe(400);
    expect((await http(url, "DELETE", "/proxies/p/toxics/l")).status).toBe(204);
  });
});

describe("POST /reset", () => {
  it("should answer 204, re-enable disabled proxies and drop all toxics", async () => {
    await create({ name: "r", listen: "127.0.0.1:0", upstream: "x:1", enabled: false });
    await http(url, "POST", "/proxies/r/toxics", '{"type":"noop"}');
    const res = await http(url, "POST", "/reset", "ignored");
    expect(res.status).toBe(204);
    const proxy = JSON.parse((await http(url, "GET", "/proxies/r")).body);
    expect(proxy).toMatchObject({ enabled: true, toxics: [] });
  });
});

describe("GET /version", () => {
  it("should answer Toxiproxy's version line with its content type", async () => {
    const res = await http(url, "GET", "/version");
    expect(res.headers.get("content-type")).toBe("application/json;charset=utf-8");
    expect(res.body).toMatch(/^\{"version": "2\.12\.0", "server": "faultline", .*\}\n$/);
  });
});

describe("routing and middleware", () => {
  it("should add a 20-character request id to routed responses", async () => {
    const res = await http(url, "GET", "/proxies");
    expect(res.headers.get("x-toxiproxy-request-id")).toMatch(/^[0-9a-v]{20}$/);
  });

  it("should answer 403 to browsers", async () => {
    const res = await http(url, "GET", "/proxies", undefined, { "User-Agent": "Mozilla/5.0 (X11)" });
    expect(res.status).toBe(403);
    expect(res.body).toBe("User agent not allowed\n");
  });

  it("should answer 404 page not found for unknown paths and a bare 405 for a wrong method", async () => {
    const missing = await http(url, "GET", "/events");
    expect(missing).toMatchObject({ status: 404, body: "404 page not found\n" });
    expect((await http(url, "GET", "/proxies/")).status).toBe(404);
    const wrong = await http(url, "PUT", "/proxies");
    expect(wrong.status).toBe(405);
    expect(wrong.body).toBe("");
    expect(wrong.headers.get("x-toxiproxy-request-id")).toBeNull();
  });

  it("should redirect an unclean path to its clean form", async () => {
    const res = await http(url, "GET", "//proxies");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/proxies");
  });

  it("should match names after percent-decoding", async () => {
    await create({ name: "tc xyz:5701", listen: "127.0.0.1:0", upstream: "x:1" });
    expect((await http(url, "GET", "/proxies/tc%20xyz:5701")).status).toBe(200);
  });
});

describe("API size limits", () => {
  it("should answer 400 naming the field when a proxy's name, listen or upstream is over-long, creating nothing", async () => {
    const long = "n".repeat(257);
    expect((await create({ name: long, listen: "127.0.0.1:0", upstream: "x:1" })).body).toBe(
      err(400, "name is too long: 257 characters (the limit is 256)"),
    );
    expect((await create({ name: "a", listen: "127.0.0.1:0", upstream: `${"h".repeat(600)}:1` })).body).toBe(
      err(400, "upstream is too long: 602 characters (the limit is 512)"),
    );
    const populate = await http(
      url,
      "POST",
      "/populate",
      JSON.stringify([
        { name: "ok", listen: "127.0.0.1:0", upstream: "x:1" },
        { name: long, listen: "127.0.0.1:0", upstream: "x:1" },
      ]),
    );
    expect(populate.status).toBe(400);
    expect(JSON.parse(populate.body)).toMatchObject({
      error: "name is too long: 257 characters (the limit is 256) at proxy 2",
      proxies: [],
    });
    expect((await http(url, "GET", "/proxies")).body).toBe("{}");
    // 256 characters is still fine.
    expect((await create({ name: "n".repeat(256), listen: "127.0.0.1:0", upstream: "x:1" })).status).toBe(
      201,
    );
  });

  it("should answer 400 for an over-long listen in an update and an over-long toxic name", async () => {
    expect((await create({ name: "p", listen: "127.0.0.1:0", upstream: "x:1" })).status).toBe(201);
    const update = await http(
      url,
      "POST",
      "/proxies/p",
      JSON.stringify({ listen: `127.0.0.1:${"0".repeat(600)}` }),
    );
    expect(update.body).toBe(err(400, "listen is too long: 610 characters (the limit is 512)"));
    const toxic = await http(
      url,
      "POST",
      "/proxies/p/toxics",
      JSON.stringify({ name: "t".repeat(300), type: "latency", attributes: { latency: 1 } }),
    );
    expect(toxic.body).toBe(err(400, "name is too long: 300 characters (the limit is 256)"));
    const link = await http(
      url,
      "POST",
      "/faultline/toxics",
      JSON.stringify({ type: "blackhole", source: "s".repeat(300), destination: "n1" }),
    );
    expect(link.body).toBe(err(400, "source is too long: 300 characters (the limit is 256)"));
  });

  it("should refuse a 7 MB proxy name as an oversize body, and stay quick afterwards", async () => {
    const res = await create({ name: "x".repeat(7 * 1024 * 1024), listen: "127.0.0.1:0", upstream: "x:1" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(
      /^bad request body: http: request body too large \(\d+ bytes, the limit is 1048576 bytes\)$/,
    );
    const started = Date.now();
    expect((await http(url, "GET", "/proxies")).body).toBe("{}");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("should refuse an oversize chunked body (no Content-Length) once it passes the limit", async () => {
    const { request } = await import("node:http");
    const target = new URL(`${url}/proxies`);
    const res = await new Promise<{ status: number; body: string }>((ok, fail) => {
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: "POST" },
        (r) => {
          let body = "";
          r.on("data", (d: Buffer) => (body += d.toString()));
          r.on("end", () => ok({ status: r.statusCode ?? 0, body }));
        },
      );
      req.on("error", fail);
      req.write('{"name":"');
      req.write("y".repeat(2 * 1024 * 1024));
      req.end('"}');
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toBe(
      "bad request body: http: request body too large (the limit is 1048576 bytes)",
    );
  });
});
