import { existsSync } from "node:fs";
import { join } from "node:path";
import { FaultlineError } from "../../../core/errors/index.js";
import { stageBinary, type SourcedImage, type StoreImageStager } from "../../../core/images/index.js";

/** The Redis image under each source: Docker's official Redis 7, or the one `faultline images build-local` makes. */
export const REDIS_IMAGES: SourcedImage = { official: "redis:7", local: "faultline-local/redis:7" };

/**
 * How `faultline images build-local` assembles the local Redis image: this machine's `redis-server` (from
 * `FAULTLINE_REDIS_SERVER`, or the one on PATH), `/bin/sh` (so the image runs the same start scripts as the official
 * one, docker-compose.yml's Sentinels included) and the libraries they load.
 */
export const redisImageStager: StoreImageStager = {
  kind: "redis-sentinel",
  stage(root) {
    const redisServer = process.env.FAULTLINE_REDIS_SERVER ?? which("redis-server");
    stageBinary(root, redisServer);
    stageBinary(root, "/bin/sh");
    return {
      ref: REDIS_IMAGES.local,
      holds: `${redisServer} and its libraries`,
      changes: [
        "ENV PATH=/usr/local/bin:/usr/bin:/bin",
        "WORKDIR /data",
        'CMD ["redis-server"]',
        "LABEL faultline.image=redis",
      ],
    };
  },
};

function which(bin: string): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const p = join(dir || ".", bin);
    if (existsSync(p)) return p;
  }
  throw new FaultlineError("IMAGE_BUILD_FAILED", `${bin} is not installed or not on PATH`, {
    hint: "install redis-server (Debian: apt-get install redis-server), or set FAULTLINE_REDIS_SERVER=<path>",
  });
}
