/**
 * Helpers for the docker backend's end-to-end tests: whether an engine answers (the tests skip, saying so, only
 * when none can be reached), local images as fresh as `dist/`, and what a run left in the engine.
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import Docker from "dockerode";
import { beforeAll } from "vitest";
import { ensureBuilt, ROOT } from "./spine-helpers.js";

/** The labels and images the docker backend uses. */
export const RUN_LABEL = "faultline.run";
export const LOCAL_IMAGES = [
  "faultline-local/redis:7",
  "faultline-local/postgres-patroni:15",
  "faultline-local/proxy:latest",
];

/**
 * Whether a Docker engine answers. Decided once per file, before the tests are declared (so a skipped file says
 * why in its name); CI starts `dockerd` in `.ci/run`, so there the answer is yes.
 */
export const DOCKER = await (async (): Promise<{ ok: true } | { ok: false; why: string }> => {
  try {
    await new Docker().ping();
    return { ok: true };
  } catch (err) {
    const why = `no Docker engine could be reached (${(err as Error).message}); start dockerd to run these tests`;
    process.stderr.write(`[docker e2e] skipped: ${why}\n`);
    return { ok: false, why };
  }
})();

/** The title suffix of a docker test file: empty, or why it is skipped. */
export const SKIP_NOTE = DOCKER.ok ? "" : ` (skipped: ${DOCKER.why})`;

/**
 * Builds the local images when one is missing or older than the compiled proxy in `dist/` (the proxy image
 * carries `dist/`), with the real CLI.
 */
export async function ensureLocalImages(): Promise<void> {
  const docker = new Docker();
  const built = statSync(join(ROOT, "dist", "nemesis", "proxy", "index.js")).mtimeMs;
  const fresh = await Promise.all(
    LOCAL_IMAGES.map(async (ref) => {
      try {
        return Date.parse((await docker.getImage(ref).inspect()).Created) >= built;
      } catch {
        return false;
      }
    }),
  );
  if (fresh.every(Boolean)) return;
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "faultline.js"), "images", "build-local"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`faultline images build-local failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * Registers the `beforeAll` of a docker test file: when an engine answers, compiles what changed and builds the
 * local images (then runs `more`, for a file that needs an image of its own).
 */
export function useDockerImages(more?: () => Promise<void>): void {
  beforeAll(async () => {
    if (!DOCKER.ok) return;
    ensureBuilt();
    await ensureLocalImages();
    await more?.();
  }, 180_000);
}

/** Names of the containers and networks labelled with `runId` (every run when absent). */
export async function labelledObjects(runId?: string): Promise<string[]> {
  const docker = new Docker();
  const filters = { label: [runId === undefined ? RUN_LABEL : `${RUN_LABEL}=${runId}`] };
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return [
    ...containers.map((c) => `container ${(c.Names[0] ?? c.Id).replace(/^\//, "")}`),
    ...networks.map((n) => `network ${n.Name}`),
  ];
}

/** Asserts (waiting up to `withinMs`, default 5 s) that nothing labelled with `runId` is left in the engine. */
export async function expectNoLabelledObjects(runId: string, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = await labelledObjects(runId);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`run ${runId} left ${left.join(", ")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The flags every docker run of these tests uses. */
export const DOCKER_FLAGS = ["--backend", "docker", "--docker-images", "local"];
