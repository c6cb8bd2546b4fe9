import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isLoopback,
  isLoopbackHostHeader,
  renderStoreIndex,
  resolveInside,
  scanStore,
  startResultsServer,
  type StartedResultsServer,
} from "../../harness/serve/index.js";

let root: string;
let store: string;

/** A store with a run, a campaign holding one run, a secret outside it and a symbolic link pointing at the secret. */
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "faultline-serve-"));
  store = join(root, "store");
  const run = join(store, "set-partition-leader", "20261126T070000.000Z");
  mkdirSync(join(run, "nodes", "n1"), { recursive: true });
  writeFileSync(
    join(run, "config.json"),
    JSON.stringify({
      testName: "set-partition-leader",
      workload: "set",
      nemesis: "partition-leader",
      replication: "async",
      seed: 5,
    }),
  );
  writeFileSync(join(run, "history.jsonl"), "");
  writeFileSync(join(run, "results.json"), JSON.stringify({ valid: false }));
  writeFileSync(join(run, "report.html"), "<!doctype html><title>run report</title>");
  writeFileSync(join(run, "nodes", "n1", "redis.log"), "log");
  symlinkSync("set-partition-leader/20261126T070000.000Z", join(store, "latest"));
  const camp = join(store, "campaigns", "c", "20261126T080000.000Z");
  const crun = join(camp, "runs", "set-none-async-s1", "20261126T080001.000Z");
  mkdirSync(crun, { recursive: true });
  writeFileSync(join(camp, "campaign.json"), "{}");
  writeFileSync(
    join(camp, "results.json"),
    JSON.stringify({ name: "c", valid: true, cells: [{}], finishedAt: "x" }),
  );
  writeFileSync(join(camp, "report.html"), "<!doctype html><title>campaign</title>");
  writeFileSync(join(crun, "config.json"), JSON.stringify({ testName: "set-none-async-s1" }));
  writeFileSync(join(crun, "results.json"), JSON.stringify({ valid: true }));
  writeFileSync(join(root, "secret.txt"), "secret");
  symlinkSync(join(root, "secret.txt"), join(store, "escape.txt"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("resolveInside", () => {
  it("should map paths inside the store and refuse every way out", () => {
    expect(resolveInside(store, "set-partition-leader/20261126T070000.000Z/report.html")).toMatchObject({
      path: expect.stringMatching(/report\.html$/),
    });
    expect(resolveInside(store, "latest/report.html")).toMatchObject({
      path: expect.stringMatching(/20261126T070000\.000Z\/report\.html$/),
    });
    expect(resolveInside(store, "../secret.txt")).toEqual({
      status: 403,
      message: "the path leaves the store",
    });
    expect(resolveInside(store, "..%2Fsecret.txt")).toEqual({
      status: 403,
      message: "the path leaves the store",
    });
    expect(resolveInside(store, "a/..%5C..%5Csecret.txt")).toMatchObject({ status: 403 });
    expect(resolveInside(store, "escape.txt")).toEqual({
      status: 403,
      message: "the path leads out of the store",
    });
    expect(resolveInside(store, "%E0%A4%A")).toEqual({
      status: 400,
      message: "malformed percent-encoding in the path",
    });
    expect(resolveInside(store, "x%00y")).toEqual({ status: 400, message: "NUL byte in the path" });
    expect(resolveInside(store, "nope.html")).toEqual({ status: 404, message: "no such file in the store" });
  });
});

describe("scanStore", () => {
  it("should list runs and campaigns with their verdicts, once each, not following latest or nodes", () => {
    const index = scanStore(store);
    expect(index.campaigns).toEqual([
      {
        path: "campaigns/c/20261126T080000.000Z",
        name: "c",
        stamp: "20261126T080000.000Z",
        valid: true,
        runs: 1,
        finished: true,
        report: true,
      },
    ]);
    expect(index.runs.map((r) => [r.path, r.valid, r.campaign])).toEqual([
      [
        "campaigns/c/20261126T080000.000Z/runs/set-none-async-s1/20261126T080001.000Z",
        true,
        "campaigns/c/20261126T080000.000Z",
      ],
      ["set-partition-leader/20261126T070000.000Z", false, undefined],
    ]);
    expect(index.runs[1]).toMatchObject({
      workload: "set",
      nemesis: "partition-leader",
      replication: "async",
      seed: 5,
      files: { report: true, results: true, junit: false, history: true },
    });
  });
});

describe("isLoopback", () => {
  it("should accept loopback names and 127.0.0.0/8 dotted quads only", () => {
    for (const h of ["localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "::1", "[::1]"]) {
      expect(isLoopback(h), h).toBe(true);
    }
    for (const h of [
      "127.0.0.1.evil.example",
      "127.evil.example",
      "localhost.evil.example",
      "127.0.0.256",
      "127.0.0.01",
      "127.1",
      "0.0.0.0",
      "128.0.0.1",
      "",
    ]) {
      expect(isLoopback(h), h).toBe(false);
    }
  });
});

describe("isLoopbackHostHeader", () => {
  it("should accept a loopback name or address with no port or the server's port", () => {
    for (const h of ["localhost", "localhost:8080", "127.0.0.1:8080", "127.9.9.9", "[::1]:8080", "[::1]"]) {
      expect(isLoopbackHostHeader(h, 8080), h).toBe(true);
    }
  });

  it("should refuse when the header names another host, another port or is malformed", () => {
    for (const h of [
      undefined,
      "",
      "127.0.0.1.evil.example",
      "127.0.0.1.evil.example:8080",
      "localhost.evil.example:8080",
      "evil.example:8080",
      "127.0.0.1:9090",
      "localhost:",
      "::1",
      "::1:8080",
      "[::1]:9090",
      "127.0.0.1:8080:8080",
      "user@127.0.0.1:8080",
    ]) {
      expect(isLoopbackHostHeader(h, 8080), String(h)).toBe(false);
    }
  });
});

describe("renderStoreIndex", () => {
  it("should mark interrupted and incomplete runs, and a run without results, in the index", () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-serve-marks-"));
    try {
      const killed = join(dir, "set-killed", "20261126T090000.000Z");
      mkdirSync(killed, { recursive: true });
      writeFileSync(join(killed, "history.jsonl"), "");
      writeFileSync(
        join(killed, "results.json"),
        JSON.stringify({
          valid: "unknown",
          interrupted: true,
          completeness: {
            complete: false,
            finalPhase: "missing",
            missing: ["the history has no final phase (no final-heal op)"],
          },
        }),
      );
      const crashed = join(dir, "set-crashed", "20261126T091000.000Z");
      mkdirSync(crashed, { recursive: true });
      writeFileSync(join(crashed, "history.jsonl"), "");
      const index = scanStore(dir);
      expect(index.runs.find((r) => r.testName === "set-killed")).toMatchObject({
        valid: "unknown",
        interrupted: true,
        incomplete: ["the history has no final phase (no final-heal op)"],
      });
      const html = renderStoreIndex(index, dir);
      expect(html).toContain('<span class="mark">interrupted</span>');
      expect(html).toContain(
        '<span class="mark" title="the history has no final phase (no final-heal op)">incomplete</span>',
      );
      expect(html).toContain("no verdict</span>");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A raw GET (fetch would normalise `..` away before sending). */
function get(
  server: StartedResultsServer,
  path: string,
  host = `127.0.0.1:${server.port}`,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path, method: "GET", headers: { host } },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", fail);
    req.end();
  });
}

describe("startResultsServer", () => {
  it("should list the store, serve reports, and refuse traversal, other hosts and other methods", async () => {
    await using server = await startResultsServer({ storeDir: store, port: 0 });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const index = await get(server, "/");
    expect(index.status).toBe(200);
    expect(index.body).toContain("set-partition-leader");
    expect(index.body).toContain(`href="/files/set-partition-leader/20261126T070000.000Z/report.html"`);
    expect(index.body).toContain(`href="/files/campaigns/c/20261126T080000.000Z/report.html"`);
    const report = await get(server, "/files/set-partition-leader/20261126T070000.000Z/report.html");
    expect(report).toMatchObject({ status: 200, body: "<!doctype html><title>run report</title>" });
    expect(report.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(report.headers["x-content-type-options"]).toBe("nosniff");
    const dir = await get(server, "/files/latest");
    expect(dir.status).toBe(302);
    expect(dir.headers.location).toBe("/files/latest/report.html");
    // A literal `..` is resolved by URL parsing to /secret.txt, which is no route; an encoded one reaches the check.
    expect((await get(server, "/files/../secret.txt")).status).toBe(404);
    expect((await get(server, "/files/%2E%2E/secret.txt")).status).toBe(404);
    expect((await get(server, "/files/..%2Fsecret.txt")).status).toBe(403);
    expect((await get(server, "/files/latest/..%2F..%2F..%2Fsecret.txt")).status).toBe(403);
    expect((await get(server, "/files/escape.txt")).status).toBe(403);
    expect((await get(server, "/files/missing")).status).toBe(404);
    expect((await get(server, "/elsewhere")).status).toBe(404);
    expect((await get(server, "/", "evil.example:80")).status).toBe(421);
    const json = JSON.parse((await get(server, "/api/index.json")).body) as { runs: unknown[] };
    expect(json.runs).toHaveLength(2);
    const post = await fetch(`${server.url}files/x`, { method: "POST" });
    expect(post.status).toBe(405);
  });

  it("should refuse a Host that only begins like a loopback name or names another port", async () => {
    await using server = await startResultsServer({ storeDir: store, port: 0 });
    for (const host of [
      "127.0.0.1.evil.example",
      `127.0.0.1.evil.example:${server.port}`,
      `localhost.evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
    ]) {
      const r = await get(server, "/api/index.json", host);
      expect(r.status, host).toBe(421);
      expect(r.body, host).not.toContain("set-partition-leader");
    }
    for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`, "127.3.2.1", "localhost"]) {
      expect((await get(server, "/api/index.json", host)).status, host).toBe(200);
    }
  });

  it("should send a Content-Security-Policy with the index, its own pages and the store's files", async () => {
    await using server = await startResultsServer({ storeDir: store, port: 0 });
    const strict = /^default-src 'none';.*frame-ancestors 'none'/;
    const index = await get(server, "/");
    expect(index.headers["content-security-policy"]).toMatch(strict);
    expect(index.headers["content-security-policy"]).not.toContain("script-src");
    expect((await get(server, "/missing")).headers["content-security-policy"]).toMatch(strict);
    expect((await get(server, "/api/index.json")).headers["content-security-policy"]).toMatch(strict);
    // A report runs its own inline scripts (its <meta> policy lists their hashes) but fetches nothing.
    const report = await get(server, "/files/set-partition-leader/20261126T070000.000Z/report.html");
    expect(report.headers["content-security-policy"]).toMatch(strict);
    expect(report.headers["content-security-policy"]).toContain("script-src 'unsafe-inline'");
    expect(report.headers["content-security-policy"]).not.toMatch(/connect-src|https?:/);
  });

  it("should say clearly when the port is taken or the store is missing", async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, "127.0.0.1", ok));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startResultsServer({ storeDir: store, port })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      blocker.close();
    }
    await expect(startResultsServer({ storeDir: join(root, "none"), port: 0 })).rejects.toThrow(
      /no store at .*none/,
    );
    // /proc is a directory, but serving it would hand out every process's environment.
    await expect(startResultsServer({ storeDir: "/proc", port: 0 })).rejects.toThrow(
      "--store-dir: cannot read /proc: /proc is a kernel file system, not storage",
    );
  });
});
