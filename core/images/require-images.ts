import type Docker from "dockerode";
import { FaultlineError } from "../errors/index.js";
import type { ImageRefs, ImageSource } from "./image-refs.js";

/**
 * Checks that every image of `refs` is present in the engine (faultline never pulls: a machine may have no
 * registry access, and a silent pull of a large image would look like a hang). A missing one is an
 * `IMAGE_MISSING` error that says which command pulls or builds it.
 *
 * @example
 * await requireImages(docker, imageRefs("local", store.images), "local");
 */
export async function requireImages(docker: Docker, refs: ImageRefs, source?: ImageSource): Promise<void> {
  const missing: string[] = [];
  await Promise.all(
    Object.values(refs).map(async (ref: string) => {
      try {
        await docker.getImage(ref).inspect();
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) missing.push(ref);
        else throw err;
      }
    }),
  );
  if (missing.length === 0) return;
  missing.sort();
  const hints = missing.map((ref) =>
    source === "local"
      ? `${ref}: build it with \`faultline images build-local\``
      : source === undefined
        ? `${ref}: pull or build it (docker pull ${ref}, or faultline images build-local)`
        : `${ref}: pull it with \`docker pull ${ref}\`, or build local images with \`faultline images build-local\` and run with --docker-images local`,
  );
  throw new FaultlineError(
    "IMAGE_MISSING",
    `the docker engine has no image ${missing.join(", ")} (faultline never pulls images itself)`,
    { details: { missing }, hint: hints.join("\n") },
  );
}
