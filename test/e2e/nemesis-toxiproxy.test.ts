/**
 * `--toxiproxy-url` against a plain Toxiproxy. There is no Toxiproxy binary on this machine (it is in neither
 * Debian nor npm), so the server is faultline's own proxy forced into plain-Toxiproxy mode (`faultline proxy
 * --plain-toxiproxy`: no /faultline/ routes, Toxiproxy's /version). The harness then wires per-destination
 * proxies (spec §2.6 Design A), still reproduces the lost writes of partition-leader, refuses (exit 254) faults
 * that need per-link rules, and leaves the server as it found it.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningUrl } from "../../nemesis/network/index.js";
import { expectNothingOfRun } from "./support/nemesis-helpers.js";
import {
  ensureBuilt,
  finish,
  flags,
  historyOps,
  listeningPorts,
  readJson,
  runDirOf,
  runFaultline,
  startFaultline,
  tempStore,
} from "./support/spine-helpers.js";

let server: ReturnType<typeof startFaultline> | undefined;
let url = "";

beforeAll(async () => {
  ensureBuilt();
  server = startFaultline(flags("proxy --plain-toxiproxy --port 0"));
  const deadline = Date.now() + 20_000;
  while (!listeningUrl(server.out.stdout)) {
    if (Date.now() > deadline) throw new Error(`the proxy did not start: ${server.out.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  url = listeningUrl(server.out.stdout)!;
}, 120_000);

afterAll(async () => {
  if (!server) return;
  server.kill("SIGTERM");
  await finish(server, 10_000);
});

/** The proxies on the server, by name. */
async function proxiesOnServer(): Promise<string[]> {
  return Object.keys((await (await fetch(`${url}/proxies`)).json()) as Record<string, unknown>);
}

describe("faultline run --toxiproxy-url <plain Toxiproxy>", () => {
  it("should refuse faults that need per-link rules with exit 254, naming them", async () => {
    expect((await (await fetch(`${url}/version`)).text()).trim()).toBe('{"version": "2.12.0"}');
    const store = tempStore("toxiproxy-refused");
    const r = await runFaultline([
      ...flags(`run --toxiproxy-url ${url} --nemesis isolate-follower,kill --time-limit 12s --seed 4`),
      "--store-dir",
      store,
    ]);
    expect(r.code, r.stderr).toBe(254);
    expect(r.stderr).toContain(`the proxy at ${url} is a plain Toxiproxy`);
    expect(r.stderr).toMatch(/isolate-node random-follower .* cuts links between servers one by one/);
    expect(r.stderr).toContain("hint:");
    expect(await proxiesOnServer()).toEqual([]);
  });

  it("should reproduce partition-leader's lost writes through per-destination proxies and remove its proxies", async () => {
    const store = tempStore("toxiproxy-partition");
    const r = await runFaultline([
      ...flags(
        `run --toxiproxy-url ${url} --nemesis partition-leader --time-limit 10s --nemesis-interval 2s`,
      ),
      ...flags("--partition-duration 6s --seed 7 --store-dir"),
      store,
    ]);
    const dir = runDirOf(store);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("plain Toxiproxy proxy server");
    const set = readJson(join(dir, "results.json")).results.set;
    expect(set.lostCount).toBeGreaterThan(0);
    const ops = historyOps(dir);
    const start = ops.find((o) => o.f === "start-partition-leader" && o.type === "ok");
    expect(start?.value.leader).toBe("n1");
    // The leader's inbound proxy carries every server's link to it; the leader's own outgoing rules are left out.
    expect(start?.value.links).toContain("n2->n1");
    expect(start?.value.links).toContain("s1->n1");
    expect((start?.value.links as string[]).some((l) => l.startsWith("n1->"))).toBe(false);
    expect(ops.find((o) => o.f === "final-heal" && o.type === "ok")?.value.verified).toBe(true);
    // The server is still up, without this run's proxies; the run's processes are gone.
    expect(await proxiesOnServer()).toEqual([]);
    const config = readJson(join(dir, "config.json"));
    expect(config.toxiproxyUrl).toBe(url);
    await expectNothingOfRun(config.run.id);
    const listeners = listeningPorts();
    const nodePorts = (config.run.cluster.nodes as { port: number }[]).map((n) => n.port);
    expect(nodePorts.filter((p) => listeners.has(p))).toEqual([]);
  });
});
