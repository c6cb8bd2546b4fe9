import { spawn } from "node:child_process";
import type Docker from "dockerode";
import { FaultlineError } from "../errors/index.js";

/**
 * Imports the directory `root` as the single layer of image `ref` (`docker import`: no registry, no build
 * context), with Dockerfile-style `changes` (`ENV …`, `ENTRYPOINT […]`, `LABEL …`). The tarball is streamed from
 * `tar` with every file owned by root. The image `ref` named before is removed (unless a container uses it), so
 * rebuilding leaves no untagged images behind. Resolves with the image id.
 *
 * @example
 * await importRootfs(docker, "/tmp/rootfs", "faultline-local/db:1", ['ENTRYPOINT ["db-server"]']);
 */
export async function importRootfs(
  docker: Docker,
  root: string,
  ref: string,
  changes: readonly string[],
): Promise<string> {
  const [repo, tag] = splitRef(ref);
  const previous = await docker
    .getImage(ref)
    .inspect()
    .then((i) => i.Id)
    .catch(() => undefined);
  const tar = spawn("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", root, "-cf", "-", "."], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tarErr = "";
  tar.stderr.on("data", (d: Buffer) => (tarErr += d.toString()));
  const tarDone = new Promise<number | null>((resolve) => tar.once("close", resolve));
  let answer: string;
  try {
    const stream = (await docker.importImage(tar.stdout, {
      repo,
      tag,
      changes: [...changes],
    } as unknown as Record<string, unknown>)) as NodeJS.ReadableStream;
    answer = await readAll(stream);
  } catch (err) {
    tar.kill("SIGKILL");
    throw new FaultlineError(
      "IMAGE_BUILD_FAILED",
      `docker import of ${ref} failed: ${(err as Error).message}`,
      {
        details: { ref },
        cause: err,
      },
    );
  }
  const code = await tarDone;
  if (code !== 0) {
    throw new FaultlineError("IMAGE_BUILD_FAILED", `tar of ${root} failed (${code}): ${tarErr.trim()}`, {
      details: { ref, root },
    });
  }
  // The engine answers JSON objects one after another: `{"status":"sha256:…"}` or `{"error":"…"}`.
  const errors = [...answer.matchAll(/"error"\s*:\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  if (errors.length > 0) {
    throw new FaultlineError("IMAGE_BUILD_FAILED", `docker import of ${ref} failed: ${errors.join("; ")}`, {
      details: { ref },
    });
  }
  const id = /sha256:[0-9a-f]{64}/.exec(answer)?.[0];
  if (!id) {
    throw new FaultlineError(
      "IMAGE_BUILD_FAILED",
      `docker import of ${ref} gave no image id: ${answer.slice(0, 200)}`,
      {
        details: { ref },
      },
    );
  }
  // The image this one replaces would be left untagged: removed, unless a container still uses it.
  if (previous !== undefined && previous !== id)
    await docker
      .getImage(previous)
      .remove()
      .catch(() => undefined);
  return id;
}

/** `repo[:tag]` → `[repo, tag]` (a registry port's colon is not a tag). */
export function splitRef(ref: string): [string, string] {
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, "latest"];
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.on("data", (d: Buffer | string) => (text += d.toString()));
    stream.once("end", () => resolve(text));
    stream.once("error", reject);
  });
}
