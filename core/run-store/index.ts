export {
  createRunDirectory,
  writeJsonFile,
  writeTextFile,
  readJsonObject,
  pointLatest,
  timestamp,
} from "./run-directory.js";
export type { RunDirectory } from "./run-directory.js";
