/**
 * Which container images the docker backend runs (the config's `docker.images`). `official` are images users
 * already trust, pulled from their registries by the user (faultline never pulls); `local` are the ones
 * `faultline images build-local` assembles from this machine's own store binaries, `node` and faultline build,
 * with no registry at all.
 */
export type ImageSource = "official" | "local";

/** The two images of a cluster: the store's server and the fault proxy. */
export interface ImageRefs {
  readonly store: string;
  readonly proxy: string;
}

/** A store's image under each source (`StoreAdapter.images`). */
export interface SourcedImage {
  readonly official: string;
  readonly local: string;
}

/**
 * The proxy's images: Shopify's Toxiproxy (which speaks the API faultline's proxy speaks, without its
 * source-aware extensions), or faultline's own proxy built by `faultline images build-local`.
 */
export const PROXY_IMAGES: SourcedImage = {
  official: "ghcr.io/shopify/toxiproxy:2.12.0",
  local: "faultline-local/proxy:latest",
};

/**
 * The images a run uses: the source's store and proxy images, either one overridden by name.
 *
 * @example
 * imageRefs("local", { official: "db:7", local: "faultline-local/db:7" }, { store: "db:7.2" });
 * // { store: "db:7.2", proxy: "faultline-local/proxy:latest" }
 */
export function imageRefs(
  source: ImageSource,
  store: SourcedImage,
  overrides: Partial<ImageRefs> = {},
): ImageRefs {
  return { store: overrides.store ?? store[source], proxy: overrides.proxy ?? PROXY_IMAGES[source] };
}
