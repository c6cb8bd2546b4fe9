export { createRunDirectory, writeJsonFile, readJsonObject, timestamp } from "./run-directory.js";
export type { RunDirectory } from "./run-directory.js";
