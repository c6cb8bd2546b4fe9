import type { Command } from "commander";

interface BuildLocalFlags {
  node?: string;
  store?: string;
}

/**
 * Registers `faultline images`: `build-local` builds the docker backend's images from this machine's own store
 * binaries (each store stages its own, `StoreAdapter.images`), `node` and faultline build, with no registry
 * (`docker import` of assembled root file systems); `list` shows which images each source needs and whether the
 * engine has them.
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
      "build each store's local image (from this machine's own binaries) and faultline-local/proxy:latest (node + " +
        "faultline's proxy) with `docker import`, no pull; use them with `faultline run --backend docker " +
        "--docker-images local`",
    )
    .option("--node <path>", "the node binary to package (default: the one running faultline)")
    .option(
      "--store <kinds>",
      "only these stores' images, comma-separated (default: every store whose packages this machine has; a store " +
        "named here must be buildable)",
    )
    .action(async (flags: BuildLocalFlags) => {
      const { connectDocker } = await import("../../../core/backends/docker/index.js");
      const { buildLocalImages } = await import("../../../core/images/index.js");
      const { STORES } = await import("../../../stores/index.js");
      const wanted = flags.store
        ?.split(",")
        .map((k) => k.trim())
        .filter((k) => k !== "");
      const withImages = STORES.filter((s) => s.images !== undefined);
      for (const k of wanted ?? []) {
        if (!withImages.some((s) => s.kind === k)) {
          const { InputError } = await import("../../../core/errors/index.js");
          throw new InputError(
            "BAD_FLAG",
            `--store: no store with a docker image is called ${JSON.stringify(k)}`,
            {
              details: { flag: "--store", value: k },
              hint: `stores with images: ${withImages.map((s) => s.kind).join(", ")}`,
            },
          );
        }
      }
      const docker = await connectDocker();
      const t0 = Date.now();
      const built = await buildLocalImages(docker, {
        stores: withImages.filter((s) => !wanted || wanted.includes(s.kind)).map((s) => s.images!.stager),
        skipUnavailable: wanted === undefined,
        ...(flags.node !== undefined ? { node: flags.node } : {}),
        log: (line) => process.stderr.write(`faultline: ${line}\n`),
      });
      process.stdout.write(`built ${built.join(" and ")} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    });
  images
    .command("list")
    .description("the images of each source (official, local) and whether the Docker engine has them")
    .action(async () => {
      const { connectDocker } = await import("../../../core/backends/docker/index.js");
      const { PROXY_IMAGES } = await import("../../../core/images/index.js");
      const { STORES } = await import("../../../stores/index.js");
      const docker = await connectDocker();
      for (const source of ["official", "local"] as const) {
        const roles: [string, string][] = [
          ...STORES.flatMap((s): [string, string][] => (s.images ? [[s.kind, s.images[source]]] : [])),
          ["proxy", PROXY_IMAGES[source]],
        ];
        for (const [role, ref] of roles) {
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
