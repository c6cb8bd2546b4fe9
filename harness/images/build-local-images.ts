import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type Docker from "dockerode";
import { FaultlineError } from "../errors/index.js";
import { packageRoot } from "../network/index.js";
import { LOCAL_IMAGES, type ImageRefs } from "./image-refs.js";
import { importRootfs } from "./import-rootfs.js";
import { importedPackages, runtimePackages } from "./runtime-packages.js";
import { stageBinary, stageSkeleton } from "./stage-rootfs.js";

/** Where the local images come from. */
export interface BuildLocalOptions {
  /** The `redis-server` binary to package (default: the one on PATH). */
  redisServer?: string;
  /** The `node` binary to package (default: the one running faultline). */
  node?: string;
  /** The faultline package to package (default: this one); it must be built (`dist/`). */
  root?: string;
  /** Image names (default {@link LOCAL_IMAGES}). */
  refs?: ImageRefs;
  /** Progress messages. */
  log?: (line: string) => void;
}

/** The application directory of the proxy image. */
const APP = "/app";

/**
 * Builds the two local images without any registry (`faultline images build-local`): each is one layer
 * imported from a root file system assembled here — `redis-server`, `/bin/sh` and the libraries they load; `node` and its
 * libraries plus faultline's `bin/`, `dist/`, `package.json` and run-time `node_modules`, started as
 * `faultline proxy --host 0.0.0.0 --port 8474` (the API must listen on every address inside a container).
 * Resolves with the image names; both carry the label `faultline.image`.
 *
 * @example
 * const refs = await buildLocalImages(new Docker(), { log: (l) => console.error(l) });
 */
export async function buildLocalImages(docker: Docker, options: BuildLocalOptions = {}): Promise<ImageRefs> {
  const refs = options.refs ?? LOCAL_IMAGES;
  const log = options.log ?? (() => undefined);
  const redisServer = options.redisServer ?? which("redis-server");
  const node = options.node ?? process.execPath;
  const root = options.root ?? packageRoot();
  if (!existsSync(join(root, "dist", "harness", "cli", "main.js"))) {
    throw new FaultlineError("IMAGE_BUILD_FAILED", `faultline is not built in ${root} (no dist/)`, {
      hint: "run `npm run build` first",
    });
  }
  const work = mkdtempSync(join(tmpdir(), "faultline-images-"));
  try {
    const redisRoot = join(work, "redis");
    stageSkeleton(redisRoot);
    stageBinary(redisRoot, redisServer);
    // A shell, so the image can run the same start scripts as the official one (docker-compose.yml's Sentinels).
    stageBinary(redisRoot, "/bin/sh");
    log(`importing ${refs.redis} (${redisServer} and its libraries)…`);
    await importRootfs(docker, redisRoot, refs.redis, [
      "ENV PATH=/usr/local/bin:/usr/bin:/bin",
      "WORKDIR /data",
      'CMD ["redis-server"]',
      "LABEL faultline.image=redis",
    ]);

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
    log(`importing ${refs.proxy} (${node}, faultline's dist/ and ${packages.length} npm packages)…`);
    await importRootfs(docker, proxyRoot, refs.proxy, [
      "ENV PATH=/usr/local/bin:/usr/bin:/bin",
      `WORKDIR ${APP}`,
      `ENTRYPOINT ["${node}", "${APP}/bin/faultline.js", "proxy"]`,
      'CMD ["--host", "0.0.0.0", "--port", "8474"]',
      "EXPOSE 8474",
      "LABEL faultline.image=proxy",
    ]);
    return refs;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function which(bin: string): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const p = join(dir || ".", bin);
    if (existsSync(p)) return p;
  }
  throw new FaultlineError("IMAGE_BUILD_FAILED", `${bin} is not installed or not on PATH`, {
    hint: "install redis-server (Debian: apt-get install redis-server), or pass --redis-server <path>",
  });
}
