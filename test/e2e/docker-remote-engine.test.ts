/**
 * The docker backend against a second Docker engine reachable only over TCP on loopback (issue 16): the test starts
 * its own `dockerd` (its own data root, exec root, pid file and API on 127.0.0.1:<free port>, no socket), builds the
 * local images there with `faultline images build-local`, runs `faultline run --backend docker` with
 * `DOCKER_HOST=tcp://127.0.0.1:<port>` (dockerode and the docker CLI read it), and checks that the run happened on
 * that engine — an engine over TCP counts as remote, so the harness reached the proxy's API and listeners through
 * their published ports — and left nothing on either engine. The second engine is stopped and its directories removed after.
 *
 * Two engines share this one kernel: the first engine's firewall drops forwarded traffic it does not know (policy
 * DROP on FORWARD, bridged traffic filtered), so the second engine, started without iptables management, would have
 * its containers cut from each other. While the test runs it allows traffic within faultline's run bridges
 * (`fl-…`); the rule is removed after. A real remote engine has its own kernel and needs none of this.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocatePorts } from "../../core/backends/local/index.js";
import { DOCKER, RUN_LABEL, SKIP_NOTE, useDockerImages } from "./support/docker-helpers.js";
import { flags, readJson, ROOT, runDirOf, tempStore } from "./support/spine-helpers.js";

useDockerImages();

const FORWARD_RULE = ["FORWARD", "-i", "fl-+", "-o", "fl-+", "-j", "ACCEPT"];
let daemon: ChildProcess | undefined;
let root = "";
let host = "";

beforeAll(async () => {
  if (!DOCKER.ok) return;
  root = mkdtempSync(join(tmpdir(), "faultline-engine2-"));
  const [port] = await allocatePorts(1);
  host = `tcp://127.0.0.1:${port}`;
  daemon = spawn(
    "dockerd",
    [
      "--data-root",
      join(root, "data"),
      "--exec-root",
      join(root, "exec"),
      "--pidfile",
      join(root, "docker.pid"),
      "-H",
      host.replace("tcp://", "tcp://"),
      "--bridge=none",
      "--iptables=false",
      "--ip6tables=false",
    ],
    { stdio: "ignore" },
  );
  const engine = new Docker({ host: "127.0.0.1", port: port!, protocol: "http" });
  for (let i = 0; i < 150; i++) {
    try {
      await engine.ping();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await engine.ping();
  spawnSync("iptables", ["-I", ...FORWARD_RULE]);
}, 60_000);

afterAll(async () => {
  spawnSync("iptables", ["-D", ...FORWARD_RULE]);
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((r) => daemon!.once("exit", r));
    daemon.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (daemon.exitCode === null) daemon.kill("SIGKILL");
  }
  if (root) rmSync(root, { recursive: true, force: true });
}, 60_000);

/** Runs the CLI with `env` added, without blocking this process (the test watches the engine meanwhile). */
function cli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "faultline.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGINT"), 300_000);
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

async function objects(docker: Docker): Promise<string[]> {
  const filters = { label: [RUN_LABEL] };
  const [c, n] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return [...c.map((x) => `container ${x.Names[0]}`), ...n.map((x) => `network ${x.Name}`)];
}

describe(`docker backend on a second engine over TCP${SKIP_NOTE}`, () => {
  it.skipIf(!DOCKER.ok)(
    "should build its images there, run there through DOCKER_HOST, and leave nothing on either engine",
    async () => {
      const env = { DOCKER_HOST: host };
      const engine = new Docker({ host: "127.0.0.1", port: Number(host.split(":")[2]), protocol: "http" });
      const first = new Docker();
      const before = await objects(first);

      const built = await cli(["images", "build-local"], env);
      expect(built.status, built.stderr).toBe(0);
      const tags = (await engine.listImages()).flatMap((i) => i.RepoTags ?? []);
      expect(tags).toEqual(
        expect.arrayContaining(["faultline-local/redis:7", "faultline-local/proxy:latest"]),
      );

      const store = tempStore("engine2");
      // Watch the second engine while the run goes: its containers are the run's.
      let seen: string[] = [];
      let published = 0;
      const watch = setInterval(() => {
        void objects(engine).then((o) => (seen = o.length > seen.length ? o : seen));
        // An engine over TCP counts as remote: the harness reaches the proxy through its published ports.
        void engine
          .listContainers({ filters: { label: [RUN_LABEL] } })
          .then(
            (cs) =>
              (published = Math.max(published, ...cs.map((c) => c.Ports.filter((p) => p.PublicPort).length))),
          );
      }, 500);
      const r = await cli(
        [
          ...flags(
            "run --backend docker --docker-images local --nemesis partition-leader --time-limit 8s --seed 3",
          ),
          "--store-dir",
          store,
        ],
        env,
      );
      clearInterval(watch);
      expect([0, 1], `${r.stdout}\n${r.stderr}`).toContain(r.status);
      expect(r.stdout).toMatch(/verdict: (valid|INVALID)/);
      const dir = runDirOf(store);
      expect(readJson(join(dir, "config.json")).backend).toBe("docker");
      expect(seen.filter((o) => o.startsWith("container")).length).toBeGreaterThanOrEqual(7);
      expect(seen.some((o) => o.startsWith("network fl-"))).toBe(true);
      expect(published).toBeGreaterThan(1);
      // Nothing left on the engine it ran on, and nothing of it on the first one.
      expect(await objects(engine)).toEqual([]);
      expect(await objects(first)).toEqual(before);
    },
    600_000,
  );
});
