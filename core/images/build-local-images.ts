import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type Docker from "dockerode";
import { FaultlineError, isFaultlineError } from "../errors/index.js";
import { packageRoot } from "./package-root.js";
import { PROXY_IMAGES } from "./image-refs.js";
import { importRootfs } from "./import-rootfs.js";
import { importedPackages, runtimePackages } from "./runtime-packages.js";
import { stageBinary, stageSkeleton } from "./stage-rootfs.js";

/**
 * How one store's local image is assembled (`StoreAdapter.images.stage`): it stages the root file system in
 * `root` (with `stageSkeleton` / `stageBinary`) and returns the image's name, what it holds (for the log) and its
 * Dockerfile-style changes (`CMD`, `ENV`, `LABEL`).
 */
export interface StoreImageStager {
  readonly kind: string;
  stage(root: string): { ref: string; holds: string; changes: readonly string[] };
}

/** Where the local images come from. */
export interface BuildLocalOptions {
  /** The stores whose images to build besides the proxy's (`faultline images build-local` passes every store's). */
  stores?: readonly StoreImageStager[];
  /**
   * Skip (saying why) a store whose image cannot be staged on this machine (its packages are not installed)
   * instead of failing: `build-local` without `--store` builds what it can.
   */
  skipUnavailable?: boolean;
  /** The `node` binary to package (default: the one running faultline). */
  node?: string;
  /** The faultline package to package (default: this one); it must be built (`dist/`). */
  root?: string;
  /** The proxy image's name (default `PROXY_IMAGES.local`). */
  proxyRef?: string;
  /** Progress messages. */
  log?: (line: string) => void;
}

/** The application directory of the proxy image. */
const APP = "/app";

/**
 * Builds the local images without any registry (`faultline images build-local`): each is one layer imported
 * from a root file system assembled here — each store's (its server binaries, `/bin/sh` and the libraries they load,
 * as the store stages them), and the proxy's: `node` and its libraries plus faultline's `bin/`, `dist/`,
 * `package.json` and run-time `node_modules`, started as `faultline proxy --host 0.0.0.0 --port 8474` (the API must
 * listen on every address inside a container). Resolves with the image names; each carries the label
 * `faultline.image`.
 *
 * @example
 * const refs = await buildLocalImages(new Docker(), { stores, log: (l) => console.error(l) });
 */
export async function buildLocalImages(docker: Docker, options: BuildLocalOptions = {}): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  const proxyRef = options.proxyRef ?? PROXY_IMAGES.local;
  const built: string[] = [];
  const node = options.node ?? process.execPath;
  const root = options.root ?? packageRoot();
  if (!existsSync(join(root, "dist", "harness", "cli", "main.js"))) {
    throw new FaultlineError("IMAGE_BUILD_FAILED", `faultline is not built in ${root} (no dist/)`, {
      hint: "run `npm run build` first",
    });
  }
  const work = mkdtempSync(join(tmpdir(), "faultline-images-"));
  try {
    for (const store of options.stores ?? []) {
      const storeRoot = join(work, store.kind);
      stageSkeleton(storeRoot);
      let staged;
      try {
        staged = store.stage(storeRoot);
      } catch (err) {
        if (!options.skipUnavailable || !isFaultlineError(err) || err.code !== "IMAGE_BUILD_FAILED")
          throw err;
        log(`skipped ${store.kind}'s image: ${err.message}${err.hint ? ` (${err.hint})` : ""}`);
        continue;
      }
      const { ref, holds, changes } = staged;
      log(`importing ${ref} (${holds})…`);
      await importRootfs(docker, storeRoot, ref, [...changes]);
      built.push(ref);
    }

    const proxyRoot = join(work, "proxy");
    stageSkeleton(proxyRoot);
    stageBinary(proxyRoot, node);
    const app = join(proxyRoot, APP.slice(1));
    for (const part of ["bin", "dist", "package.json"])
      cpSync(join(root, part), join(app, part), { recursive: true });
    const packages = runtimePackages(root, importedPackages(join(root, "dist")));
    for (const p of packages) {
      cpSync(p.dir, join(app, p.target), {
        recursive: true,
        dereference: true,
        // Nested node_modules hold other packages, copied on their own when they are needed.
        filter: (src) => !(basename(src) === "node_modules" && src !== p.dir),
      });
    }
    writeFileSync(join(app, ".faultline-image"), `built from ${root}\n`);
    log(`importing ${proxyRef} (${node}, faultline's dist/ and ${packages.length} npm packages)…`);
    await importRootfs(docker, proxyRoot, proxyRef, [
      "ENV PATH=/usr/local/bin:/usr/bin:/bin",
      `WORKDIR ${APP}`,
      `ENTRYPOINT ["${node}", "${APP}/bin/faultline.js", "proxy"]`,
      'CMD ["--host", "0.0.0.0", "--port", "8474"]',
      "EXPOSE 8474",
      "LABEL faultline.image=proxy",
    ]);
    built.push(proxyRef);
    return built;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
