/**
 * `core/user-paths`: guards for every path a user gives faultline (store directories, config, schedule and
 * history files, the store `serve` serves), so a bad one is refused with exit 254 naming it instead of a hang or a
 * crash.
 */
export { ensureWritableDirectory } from "./writable-directory.js";
export type { UserPathOptions } from "./writable-directory.js";
export { assertReadableInput } from "./readable-input.js";
export type { InputKind } from "./readable-input.js";
export { pseudoFileSystem } from "./pseudo-file-system.js";
export { kindOf } from "./file-kind.js";
