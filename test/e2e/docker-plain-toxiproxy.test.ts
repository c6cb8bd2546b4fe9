import { readFileSync } from "node:fs";
import { join } from "node:path";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import {
  DOCKER,
  DOCKER_FLAGS,
  expectNoLabelledObjects,
  SKIP_NOTE,
  useDockerImages,
} from "./support/docker-helpers.js";
import { flags, historyOps, readJson, runDirOf, runFaultline, tempStore } from "./support/spine-helpers.js";

/**
 * The docker backend's default proxy is a real Toxiproxy (`ghcr.io/shopify/toxiproxy:2.12.0`), which no test here
 * can pull. This image is the next best thing: faultline's proxy image started with `--plain-toxiproxy`, so it
 * answers exactly as Toxiproxy 2.12 does (no `/faultline/` routes, no source awareness) and the harness must take
 * the path it takes with the real one: per-destination proxies and standard toxics only (spec §2.6, Design A).
 */
const PLAIN_IMAGE = "faultline-e2e/plain-toxiproxy:latest";
const PLAIN_FLAGS = [...DOCKER_FLAGS, "--proxy-image", PLAIN_IMAGE];

async function buildPlainToxiproxyImage(): Promise<void> {
  const docker = new Docker();
  const container = await docker.createContainer({ Image: "faultline-local/proxy:latest" });
  try {
    await container.commit({
      repo: "faultline-e2e/plain-toxiproxy",
      tag: "latest",
      changes: 'CMD ["--host", "0.0.0.0", "--port", "8474", "--plain-toxiproxy"]',
    });
  } finally {
    await container.remove({ force: true });
  }
}

useDockerImages(buildPlainToxiproxyImage);

describe.skipIf(!DOCKER.ok)(
  `faultline run --backend docker with a plain Toxiproxy as the proxy${SKIP_NOTE}`,
  () => {
    it("should partition the leader with standard toxics on per-destination proxies, lose acknowledged writes, and clean up", async () => {
      const store = tempStore("docker-plain-toxiproxy");
      const r = await runFaultline([
        ...flags(
          "run --nemesis partition-leader --time-limit 10s --nemesis-interval 2s --partition-duration 6s --seed 11",
        ),
        ...PLAIN_FLAGS,
        "--store-dir",
        store,
      ]);
      const dir = runDirOf(store);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toContain("verdict: INVALID");
      const set = readJson(join(dir, "results.json")).results.set;
      expect(set.lostCount).toBeGreaterThan(0);

      const ops = historyOps(dir);
      const start = ops.find(
        (o) => o.process === "nemesis" && o.f === "start-partition-leader" && o.type === "ok",
      );
      expect(start?.value.leader).toBe("n1");
      const leaders = ops.filter((o) => o.process === "monitor" && o.f === "leader").map((o) => o.value);
      expect(leaders.some((l) => l !== "n1" && l !== null)).toBe(true);

      // The proxy was driven through the standard API alone: no sources map, no link rules, and the cut was
      // standard toxics on the proxies in front of the leader.
      const events = readFileSync(join(dir, "nodes", "proxy", "proxy.log"), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as { event?: string; proxy?: string; toxic?: { type: string } });
      expect(events.some((e) => e.event === "sources.changed" || e.event?.startsWith("link") === true)).toBe(
        false,
      );
      const added = events.filter((e) => e.event === "toxic.added");
      expect(added.length).toBeGreaterThan(0);
      expect(new Set(added.map((e) => e.toxic!.type))).toEqual(new Set(["timeout"]));
      expect(added.some((e) => e.proxy === "n1")).toBe(true);
      expect(events.filter((e) => e.event === "toxic.removed").length).toBe(added.length);

      const config = readJson(join(dir, "config.json"));
      await expectNoLabelledObjects(config.run.id as string);
    });

    it("should refuse, exit 254 and clean up, when the schedule has a fault that cuts one server-to-server link", async () => {
      const store = tempStore("docker-plain-toxiproxy-refused");
      const r = await runFaultline([
        ...flags("run --nemesis isolate-follower --time-limit 8s --seed 3"),
        ...PLAIN_FLAGS,
        "--store-dir",
        store,
      ]);
      expect(r.code, r.stderr).toBe(254);
      expect(r.stderr).toContain("is a plain Toxiproxy");
      expect(r.stderr).toMatch(/isolate-node .*cuts links between servers/);
      expect(r.stderr).toContain("--docker-images local");
      const config = readJson(join(runDirOf(store), "config.json"));
      await expectNoLabelledObjects(config.run.id as string);
    });
  },
);
