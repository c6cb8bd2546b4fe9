/**
 * Which container images the docker backend runs (the config's `docker.images`). `official` are images users
 * already trust, pulled from their registries by the user (faultline never pulls); `local` are the ones
 * `faultline images build-local` assembles from this machine's own `redis-server`, `node` and faultline build,
 * with no registry at all.
 */
export type ImageSource = "official" | "local";

/** The two images of a cluster: the Redis server (also run as Sentinel) and the fault proxy. */
export interface ImageRefs {
  readonly redis: string;
  readonly proxy: string;
}

/**
 * The official images: Docker's Redis 7 image, and Shopify's Toxiproxy (which speaks the API faultline's proxy
 * speaks, without its source-aware extensions).
 */
export const OFFICIAL_IMAGES: ImageRefs = { redis: "redis:7", proxy: "ghcr.io/shopify/toxiproxy:2.12.0" };

/** The images `faultline images build-local` makes (the proxy is faultline's own, source-aware). */
export const LOCAL_IMAGES: ImageRefs = {
  redis: "faultline-local/redis:7",
  proxy: "faultline-local/proxy:latest",
};

/**
 * The images a run uses: the source's, with either one overridden by name.
 *
 * @example
 * imageRefs("local", { redis: "redis:7.2" }); // { redis: "redis:7.2", proxy: "faultline-local/proxy:latest" }
 */
export function imageRefs(source: ImageSource, overrides: Partial<ImageRefs> = {}): ImageRefs {
  const base = source === "local" ? LOCAL_IMAGES : OFFICIAL_IMAGES;
  return { redis: overrides.redis ?? base.redis, proxy: overrides.proxy ?? base.proxy };
}
