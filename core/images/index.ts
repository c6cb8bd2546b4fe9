export { PROXY_IMAGES, imageRefs } from "./image-refs.js";
export type { ImageSource, ImageRefs, SourcedImage } from "./image-refs.js";
export { buildLocalImages } from "./build-local-images.js";
export type { BuildLocalOptions, StoreImageStager } from "./build-local-images.js";
export { requireImages } from "./require-images.js";
export { importRootfs, splitRef } from "./import-rootfs.js";
export { importedPackages, runtimePackages } from "./runtime-packages.js";
export type { RuntimePackage } from "./runtime-packages.js";
export { sharedLibraries, parseLdd, stageBinary, stageFile, stageSkeleton } from "./stage-rootfs.js";
export { packageRoot } from "./package-root.js";
export {
  debianDependencyClosure,
  debianPackageFiles,
  debianPackageInstalled,
  parseDepends,
  stageDebianPackages,
  UNNEEDED_PACKAGE_PATHS,
} from "./stage-packages.js";
