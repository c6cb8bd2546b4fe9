import type { Command } from "commander";

interface BuildLocalFlags {
  redisServer?: string;
  node?: string;
}

/**
 * Registers `faultline images`: `build-local` builds the docker backend's images from this machine's own
 * `redis-server`, `node` and faultline build, with no registry (`docker import` of assembled root file systems);
 * `list` shows which images each source needs and whether the engine has them.
 *
 * @example
 * faultline images build-local && faultline run --backend docker --docker-images local
 */
export function registerImagesCommand(program: Command): Command {
  const images = program
    .command("images")
    .description("container images of the docker backend (build-local: build them with no registry; list)");
  images
    .command("build-local")
    .description(
      "build faultline-local/redis:7 (this machine's redis-server) and faultline-local/proxy:latest (node + faultline's " +
        "proxy) with `docker import`, no pull; use them with `faultline run --backend docker --docker-images local`",
    )
    .option("--redis-server <path>", "the redis-server binary to package (default: the one on PATH)")
    .option("--node <path>", "the node binary to package (default: the one running faultline)")
    .action(async (flags: BuildLocalFlags) => {
      const { connectDocker } = await import("../../backends/docker/index.js");
      const { buildLocalImages } = await import("../../images/index.js");
      const docker = await connectDocker();
      const t0 = Date.now();
      const refs = await buildLocalImages(docker, {
        ...(flags.redisServer !== undefined ? { redisServer: flags.redisServer } : {}),
        ...(flags.node !== undefined ? { node: flags.node } : {}),
        log: (line) => process.stderr.write(`faultline: ${line}\n`),
      });
      process.stdout.write(
        `built ${refs.redis} and ${refs.proxy} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    });
  images
    .command("list")
    .description("the images of each source (official, local) and whether the Docker engine has them")
    .action(async () => {
      const { connectDocker } = await import("../../backends/docker/index.js");
      const { LOCAL_IMAGES, OFFICIAL_IMAGES } = await import("../../images/index.js");
      const docker = await connectDocker();
      for (const [source, refs] of [
        ["official", OFFICIAL_IMAGES],
        ["local", LOCAL_IMAGES],
      ] as const) {
        for (const [role, ref] of Object.entries(refs)) {
          const present = await docker
            .getImage(ref)
            .inspect()
            .then(
              () => "present",
              () => "missing",
            );
          process.stdout.write(`${source}\t${role}\t${ref}\t${present}\n`);
        }
      }
    });
  return images;
}
