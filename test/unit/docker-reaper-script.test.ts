/**
 * The reaper's program (`REAPER_SCRIPT`, which runs in the reaper container and as its guard on the host) against
 * a fake engine on a unix socket: what it removes when its input ends, what it waits for (creations the harness
 * announced and never saw answered), and what `keep` spares.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REAPER_SCRIPT } from "../../core/backends/docker/index.js";

const RUN = "set-none/T1";

/** A fake engine: labelled containers and networks by name; `later` ones appear after that many requests. */
class FakeEngine {
  readonly containers = new Set<string>();
  readonly networks = new Set<string>();
  readonly removed: string[] = [];
  requests = 0;
  readonly #later = new Map<string, number>();
  server: Server | undefined;

  constructor(containers: string[], networks: string[], later: Record<string, number> = {}) {
    for (const c of containers) this.containers.add(c);
    for (const n of networks) this.networks.add(n);
    for (const [name, after] of Object.entries(later)) this.#later.set(name, after);
  }

  listen(socket: string): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests++;
      for (const [name, after] of this.#later) {
        if (this.requests >= after) {
          this.containers.add(name);
          this.#later.delete(name);
        }
      }
      const url = new URL(req.url ?? "/", "http://engine");
      const filters = JSON.parse(url.searchParams.get("filters") ?? "{}") as { label?: string[] };
      const ours = filters.label?.[0] === `faultline.run=${RUN}`;
      const send = (status: number, body?: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      const [, kind, name] = url.pathname.split("/").map(decodeURIComponent);
      if (req.method === "GET" && kind === "containers") {
        return send(200, ours ? [...this.containers].map((c) => ({ Id: `id-${c}`, Names: [`/${c}`] })) : []);
      }
      if (req.method === "GET" && kind === "networks") {
        return send(200, ours ? [...this.networks].map((n) => ({ Id: `id-${n}`, Name: n })) : []);
      }
      if (req.method === "DELETE" && name !== undefined) {
        const set = kind === "containers" ? this.containers : this.networks;
        const plain = name.replace(/^id-/, "");
        if (!set.delete(plain)) return send(404, { message: "no such object" });
        this.removed.push(plain);
        return send(204);
      }
      send(400, { message: "unexpected request" });
    });
    return new Promise((resolve) => this.server!.listen(socket, resolve));
  }
}

/** Runs the program as the guard (`host`): `input` on its stdin, then end of input; resolves with its output. */
function runReaper(socket: string, input: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["-e", REAPER_SCRIPT, RUN, socket, "host"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, out })));
}

let dir: string | undefined;
let engine: FakeEngine | undefined;
afterEach(() => {
  engine?.server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function withEngine(e: FakeEngine): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), "faultline-reaper-"));
  engine = e;
  const socket = join(dir, "engine.sock");
  await e.listen(socket);
  return socket;
}

describe("REAPER_SCRIPT", () => {
  it("should remove every container and network of the run once its input ends", async () => {
    const e = new FakeEngine(["fl-x-n1", "fl-x-proxy"], ["fl-x"]);
    const r = await runReaper(await withEngine(e), "");
    expect(r.code, r.out).toBe(0);
    expect([...e.containers, ...e.networks]).toEqual([]);
    expect(e.removed.sort()).toEqual(["fl-x", "fl-x-n1", "fl-x-proxy"]);
  });

  it("should wait for a container the harness was creating when it died, and remove it once it exists", async () => {
    // The engine finishes the create only after the reaper looked several times.
    const e = new FakeEngine(["fl-x-n1"], [], { "fl-x-n2": 8 });
    const r = await runReaper(
      await withEngine(e),
      "creating container fl-x-n1\ncreated container fl-x-n1\ncreating container fl-x-n2\n",
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/in flight: fl-x-n2/);
    expect(e.containers.size, r.out).toBe(0);
    expect(e.removed).toContain("fl-x-n2");
  });

  it("should give up on a creation that never happens, and exit", async () => {
    const e = new FakeEngine([], []);
    const r = await runReaper(await withEngine(e), "creating network fl-x\n");
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/never created: fl-x/);
  });

  it("should remove nothing when told to keep the run's containers", async () => {
    const e = new FakeEngine(["fl-x-n1"], ["fl-x"]);
    const r = await runReaper(await withEngine(e), "creating container fl-x-n2\nkeep\n");
    expect(r.code, r.out).toBe(0);
    expect(e.removed).toEqual([]);
    expect(e.requests).toBe(0);
  });
});
