import type { Stats } from "node:fs";

/** What a path is, for messages: "a file", "a directory", "a character device"… */
export function kindOf(s: Stats): string {
  if (s.isFile()) return "a file";
  if (s.isDirectory()) return "a directory";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isFIFO()) return "a named pipe";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}
